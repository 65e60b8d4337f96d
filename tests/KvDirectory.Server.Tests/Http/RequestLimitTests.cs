using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using KvDirectory.Protocol;

namespace KvDirectory.Server.Tests.Http;

/// <summary>Each configured limit refuses what exceeds it, with a clear answer, and frees what the refused client held.</summary>
public sealed class RequestLimitTests
{
    private const string OpenConnections = "kvdirectory_http_open_connections";
    private const string Watchers = "etcd_debugging_store_watchers";

    [Fact]
    public async Task A_key_longer_than_max_key_bytes_is_refused_with_209_and_nothing_is_written()
    {
        await using var server = await InProcessServer.StartAsync("--max-key-bytes", "64");

        using var fits = await server.Client.PutAsync("/v2/keys/" + new string('k', 60), Form("value=1"));
        using var tooLong = await server.Client.PutAsync("/v2/keys/" + new string('k', 64), Form("value=1"));
        // 33 two-byte characters: 67 UTF-8 bytes with the slash, though only 34 characters.
        using var tooLongInBytes = await server.Client.PutAsync("/v2/keys/" + string.Concat(Enumerable.Repeat("%C3%A9", 33)), Form("value=1"));

        fits.StatusCode.Should().Be(HttpStatusCode.Created);
        foreach (var refused in new[] { tooLong, tooLongInBytes })
        {
            var error = await ErrorOf(refused, HttpStatusCode.BadRequest);
            error.ErrorCode.Should().Be(EtcdErrorCode.InvalidField);
            error.Cause.Should().Be("key is longer than --max-key-bytes (64 bytes)");
        }

        var listing = await server.Client.GetStringAsync("/v2/keys/");
        listing.Should().Contain(new string('k', 60)).And.NotContain(new string('k', 64)).And.NotContain("é");
    }

    [Fact]
    public async Task A_key_deeper_than_max_key_depth_is_refused_with_209()
    {
        await using var server = await InProcessServer.StartAsync("--max-key-depth", "4");

        using var fits = await server.Client.PutAsync("/v2/keys/a/b/c/d", Form("value=1"));
        using var tooDeep = await server.Client.PutAsync("/v2/keys/a/b/c/d/e", Form("value=1"));
        using var tooDeepRead = await server.Client.GetAsync("/v2/keys/a/b/c/d/e/f?wait=true");

        fits.StatusCode.Should().Be(HttpStatusCode.Created);
        (await ErrorOf(tooDeep, HttpStatusCode.BadRequest)).Cause.Should().Be("key has more than --max-key-depth (4) path segments");
        (await ErrorOf(tooDeepRead, HttpStatusCode.BadRequest)).ErrorCode.Should().Be(EtcdErrorCode.InvalidField);
        (await server.WatcherCountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_tree_as_deep_as_max_key_depth_is_answered_as_JSON_by_recursive_reads_and_the_explorer_export()
    {
        // Found by the HTTP fuzz test: JSON's default depth of 64 made a recursive GET over 31 segments a 500 with no body.
        await using var server = await InProcessServer.StartAsync("--max-key-depth", "512");
        var deep = string.Concat(Enumerable.Repeat("/d", 511));
        using var written = await server.Client.PutAsync("/v2/keys" + deep + "/leaf", Form("value=bottom"));
        written.StatusCode.Should().Be(HttpStatusCode.Created);

        foreach (var path in new[] { "/v2/keys/?recursive=true&sorted=true", "/v2/keys/d?recursive=true", "/ui/api/export?path=/d", "/ui/api/config?path=/d" })
        {
            using var response = await server.Client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.OK, path);
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 2_000 });
            body.Should().Contain("bottom", path);
        }
    }

    [Fact]
    public async Task A_request_line_or_headers_over_Kestrels_limits_get_414_and_431_and_the_server_goes_on()
    {
        await using var server = await InProcessServer.StartAsync(
            "--max-request-line-bytes", "2048", "--max-request-headers-bytes", "4096", "--max-request-header-count", "20");

        var longUrl = await RawStatusLineAsync(server, $"GET /v2/keys/{new string('u', 3000)} HTTP/1.1\r\nHost: x\r\n\r\n");
        var bigHeader = await RawStatusLineAsync(server, $"GET /v2/keys/a HTTP/1.1\r\nHost: x\r\nX-Big: {new string('h', 5000)}\r\n\r\n");
        var manyHeaders = await RawStatusLineAsync(
            server, "GET /v2/keys/a HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"X-H{i}: v\r\n")) + "\r\n");

        longUrl.Should().StartWith("HTTP/1.1 414");
        bigHeader.Should().StartWith("HTTP/1.1 431");
        manyHeaders.Should().StartWith("HTTP/1.1 431");
        (await server.Client.GetAsync("/v2/keys/a")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_watch_past_max_watchers_is_refused_with_429_and_places_are_freed_when_watchers_leave()
    {
        await using var server = await InProcessServer.StartAsync("--max-watchers", "3");
        using var handler = new SocketsHttpHandler { MaxResponseDrainSize = 0 };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        var parked = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            parked.Add(await client.GetAsync($"/v2/keys/w{i}?wait=true", HttpCompletionOption.ResponseHeadersRead));
        }

        await server.WaitForWatcherCountAsync(3, TimeSpan.FromSeconds(30));
        using var refused = await client.GetAsync("/v2/keys/w9?wait=true");

        var error = await ErrorOf(refused, HttpStatusCode.TooManyRequests);
        error.ErrorCode.Should().Be(EtcdErrorCode.TooManyWatchers);
        error.Message.Should().Be("Too many watchers");
        error.Cause.Should().Be("this member already holds --max-watchers (3) watches");

        // A client that leaves gives its place back: its watcher is gone and a new watch is accepted.
        parked[0].Dispose();
        await server.WaitForWatcherCountAsync(2, TimeSpan.FromSeconds(30));
        parked[0] = await WaitForAcceptedWatchAsync(client, "/v2/keys/w0?wait=true");
        parked.Should().AllSatisfy(r => r.StatusCode.Should().Be(HttpStatusCode.OK));

        // A write releases the watch on its key the normal way; everything else leaves; nothing is left behind.
        await server.Client.PutAsync("/v2/keys/w1", Form("value=go"));
        (await parked[1].Content.ReadAsStringAsync()).Should().Contain("\"value\":\"go\"");
        parked.ForEach(r => r.Dispose());
        await server.WaitForMetricAsync(Watchers, 0, TimeSpan.FromSeconds(30));
        var again = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            again.Add(await client.GetAsync($"/v2/keys/v{i}?wait=true", HttpCompletionOption.ResponseHeadersRead));
        }

        again.Should().AllSatisfy(r => r.StatusCode.Should().Be(HttpStatusCode.OK), "every place was given back");
        again.ForEach(r => r.Dispose());
        await server.WaitForMetricAsync(Watchers, 0, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_client_that_trickles_its_body_is_cut_off_and_its_connection_freed()
    {
        await using var server = await InProcessServer.StartAsync("--min-request-body-bytes-per-second", "1000", "--min-data-rate-grace-ms", "1500");
        var baseline = await server.MetricAsync(OpenConnections);
        using var socket = await ConnectAsync(server);
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            "PUT /v2/keys/slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nvalue="));

        // One byte every 100 ms (10 B/s) until the server gives up on us; a bounded loop, not a deadline on the server.
        var cutOff = false;
        for (var i = 0; i < 600 && !cutOff; i++)
        {
            await Task.Delay(100);
            try
            {
                await socket.SendAsync("x"u8.ToArray());
                cutOff = socket.Poll(0, SelectMode.SelectRead);
            }
            catch (SocketException)
            {
                cutOff = true;
            }
        }

        cutOff.Should().BeTrue("a body at 10 B/s is below --min-request-body-bytes-per-second");
        await server.WaitForMetricAsync(OpenConnections, baseline, TimeSpan.FromSeconds(30));
        (await server.Client.GetAsync("/v2/keys/slow")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_stream_watcher_that_never_reads_is_cut_off_and_its_watcher_and_connection_freed()
    {
        // Kestrel allows a pending write the grace period plus its size at the minimum rate: a high rate keeps the test short.
        await using var server = await InProcessServer.StartAsync("--min-response-bytes-per-second", "1000000", "--min-data-rate-grace-ms", "1500");
        var baseline = await server.MetricAsync(OpenConnections);
        using var socket = await ConnectAsync(server, receiveBuffer: 4096);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /v2/keys/feed?wait=true&stream=true&recursive=true HTTP/1.1\r\nHost: x\r\n\r\n"));
        await server.WaitForWatcherCountAsync(1, TimeSpan.FromSeconds(30));

        // Events far larger than what the socket buffers hold, to a client that reads nothing.
        var value = "value=" + new string('v', 32 * 1024);
        for (var i = 0; i < 1000 && await server.WatcherCountAsync() > 0; i++)
        {
            using var written = await server.Client.PutAsync($"/v2/keys/feed/{i % 10}", Form(value));
            written.IsSuccessStatusCode.Should().BeTrue();
        }

        await server.WaitForWatcherCountAsync(0, TimeSpan.FromSeconds(30));
        await server.WaitForMetricAsync(OpenConnections, baseline, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_client_that_never_finishes_its_headers_is_cut_off_after_the_request_headers_timeout()
    {
        await using var server = await InProcessServer.StartAsync("--request-headers-timeout-ms", "1500");
        var baseline = await server.MetricAsync(OpenConnections);
        using var socket = await ConnectAsync(server);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /v2/keys/a HTTP/1.1\r\nHost: x\r\nX-Slow: "));
        await server.WaitForMetricAsync(OpenConnections, baseline + 1, TimeSpan.FromSeconds(30));

        await server.WaitForMetricAsync(OpenConnections, baseline, TimeSpan.FromSeconds(60));
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer);
        Encoding.ASCII.GetString(buffer, 0, received).Should().StartWith("HTTP/1.1 408", "Kestrel answers a headers timeout before it closes");
    }

    [Fact]
    public async Task Connections_past_max_connections_are_closed_unanswered_and_accepted_again_once_one_leaves()
    {
        await using var server = await InProcessServer.StartAsync("--max-connections", "8");
        var baseline = (int)await server.MetricAsync(OpenConnections);
        var held = new List<Socket>();
        for (var i = baseline; i < 8; i++)
        {
            held.Add(await ConnectAsync(server));
        }

        await server.WaitForMetricAsync(OpenConnections, 8, TimeSpan.FromSeconds(30));
        using (var refused = await ConnectAsync(server))
        {
            await refused.SendAsync(Encoding.ASCII.GetBytes("GET /version HTTP/1.1\r\nHost: x\r\n\r\n"));
            var answer = await ReadAnswerOrResetAsync(refused);
            answer.Should().BeEmpty("a connection past --max-connections is closed without an answer");
        }

        held[0].Dispose();
        var again = await RawStatusLineAsync(server, "GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", retryWhileRefused: true);
        again.Should().StartWith("HTTP/1.1 200");
        held.ForEach(s => s.Dispose());
    }

    private static async Task<string> ReadAnswerOrResetAsync(Socket socket)
    {
        var buffer = new byte[1024];
        try
        {
            var received = await socket.ReceiveAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, received);
        }
        catch (SocketException)
        {
            return string.Empty;
        }
    }

    private static async Task<HttpResponseMessage> WaitForAcceptedWatchAsync(HttpClient client, string path)
    {
        // The slot is given back when the server finishes the aborted response, a moment after the watcher leaves.
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode == HttpStatusCode.OK || attempt == 200)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(50);
        }
    }

    private static async Task<Socket> ConnectAsync(InProcessServer server, int? receiveBuffer = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync(IPAddress.Loopback, server.BaseAddress.Port);
        return socket;
    }

    private static async Task<string> RawStatusLineAsync(InProcessServer server, string request, bool retryWhileRefused = false)
    {
        // A freed connection slot is counted back a moment after the socket closes: retry a bounded number of times.
        for (var attempt = 0; ; attempt++)
        {
            using var socket = await ConnectAsync(server);
            await socket.SendAsync(Encoding.ASCII.GetBytes(request));
            var answer = await ReadAnswerOrResetAsync(socket);
            if (answer.Length > 0 || !retryWhileRefused || attempt == 100)
            {
                return answer;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<EtcdError> ErrorOf(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        return JsonSerializer.Deserialize(body, ProtocolJsonContext.Default.EtcdError)!;
    }

    private static FormUrlEncodedContent Form(string pairs) =>
        new(pairs.Split('&').Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1])));
}
