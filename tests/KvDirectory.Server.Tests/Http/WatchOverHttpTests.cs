using System.Net;
using System.Text.Json;
using KvDirectory.Protocol;

namespace KvDirectory.Server.Tests.Http;

public sealed class WatchOverHttpTests
{
    [Fact]
    public async Task A_watch_answers_status_and_headers_at_once_and_the_body_when_the_event_fires()
    {
        await using var server = await InProcessServer.StartAsync();

        using var response = await server.Client.GetAsync("/v2/keys/w?wait=true", HttpCompletionOption.ResponseHeadersRead);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("X-Etcd-Index").Should().ContainSingle();
        var body = response.Content.ReadAsStringAsync();
        body.IsCompleted.Should().BeFalse("no event has happened yet");

        await server.Client.PutAsync("/v2/keys/w", Form("value=fired"));

        var etcdEvent = JsonSerializer.Deserialize((await body).Trim(), ProtocolJsonContext.Default.EtcdEvent)!;
        etcdEvent.Action.Should().Be("set");
        etcdEvent.Node!.Value.Should().Be("fired");
    }

    [Fact]
    public async Task A_stream_watch_delivers_every_change_until_the_client_leaves()
    {
        await using var server = await InProcessServer.StartAsync();
        using var response = await server.Client.GetAsync("/v2/keys/s?wait=true&stream=true&recursive=true", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var values = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await server.Client.PutAsync($"/v2/keys/s/k{i}", Form($"value=v{i}"));
            var line = await reader.ReadLineAsync();
            values.Add(JsonSerializer.Deserialize(line!, ProtocolJsonContext.Default.EtcdEvent)!.Node!.Value!);
        }

        values.Should().Equal("v0", "v1", "v2");
        response.Dispose();
        await server.WaitForWatcherCountAsync(0, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_thousand_watchers_on_one_key_are_all_released_by_one_write()
    {
        await using var server = await InProcessServer.StartAsync();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 2000 };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var watches = Enumerable.Range(0, 1000)
            .Select(_ => client.GetAsync("/v2/keys/hot?wait=true", HttpCompletionOption.ResponseHeadersRead))
            .ToArray();
        var responses = await Task.WhenAll(watches);
        await server.WaitForWatcherCountAsync(1000, TimeSpan.FromSeconds(30));

        await server.Client.PutAsync("/v2/keys/hot", Form("value=go"));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        bodies.Should().AllSatisfy(b => b.Should().Contain("\"value\":\"go\""));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        (await server.WatcherCountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Ten_thousand_aborted_watches_leave_no_watcher_behind()
    {
        await using var server = await InProcessServer.StartAsync();
        // No draining: an unread watch body must close the connection at once, as a client that goes away does.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64, MaxResponseDrainSize = 0 };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        await Parallel.ForAsync(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            using var response = await client.GetAsync($"/v2/keys/quiet/{i % 10}?wait=true", HttpCompletionOption.ResponseHeadersRead, ct);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            // Disposing the response with its body unread closes the connection: the server sees the client leave.
        });

        await server.WaitForWatcherCountAsync(0, TimeSpan.FromSeconds(30));
    }

    private static FormUrlEncodedContent Form(string pairs) =>
        new(pairs.Split('&').Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1])));
}
