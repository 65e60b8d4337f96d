using KvDirectory.Compatibility.Tests.Harness;
using KvDirectory.Compatibility.Tests.Scenarios;
using KvDirectory.Testing;

namespace KvDirectory.Compatibility.Tests.Watches;

/// <summary>
/// A watch that must block: setup steps, then a watch request whose headers are read before anything fires it,
/// then trigger steps, then the watch body (one event, or <see cref="StreamEvents"/> lines for stream=true).
/// </summary>
public sealed record WatchScript(string Name, IReadOnlyList<Step> Setup, string WatchPathAndQuery, IReadOnlyList<Step> Triggers, int StreamEvents = 0)
{
    private static readonly TimeSpan EventDeadline = TimeSpan.FromSeconds(15);

    public Scenario AsScenario => new(Name, []);

    public async Task<ServerRun> RunAsync(ServerProcess server)
    {
        var prefix = AsScenario.Prefix;
        var rebase = new IndexRebase(await RawHttp.CurrentIndexAsync(server.ClientUrl));
        var exchanges = new List<ExchangeRecord>();
        foreach (var step in Setup)
        {
            exchanges.Add(await SendAsync(server, rebase, prefix, step));
        }

        var watchPath = rebase.Resolve(WatchPathAndQuery, prefix);
        var watchersBefore = await StoreStats.WatcherCountAsync(server.ClientUrl);
        using var request = RawHttp.Request(server.ClientUrl, "GET", watchPath);
        using var deadline = new CancellationTokenSource(EventDeadline);
        using var response = await RawHttp.Shared.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        var headers = RawHttp.HeadersOf(response);
        var body = await response.Content.ReadAsStreamAsync(deadline.Token);
        var reader = new StreamReader(body);
        Task<string?> firstEvent = StreamEvents > 0 ? reader.ReadLineAsync(deadline.Token).AsTask() : ReadAllAsync(reader, deadline.Token);

        // The watch is only known to be in place once the server counts it; then it must still be waiting.
        await StoreStats.WaitForWatchersAboveAsync(server.ClientUrl, watchersBefore);
        firstEvent.IsCompleted.Should().BeFalse($"{server.Kind} must send status and headers of a blocking watch before any event ({Name})");
        exchanges.Add(new ExchangeRecord($"GET {watchPath} (status and headers, before any event)", new HttpSnapshot((int)response.StatusCode, headers, ""), CompareMode.Exact, false));

        foreach (var step in Triggers)
        {
            exchanges.Add(await SendAsync(server, rebase, prefix, step));
        }

        var events = new List<string?> { await firstEvent };
        for (var i = 1; i < StreamEvents; i++)
        {
            events.Add(await reader.ReadLineAsync(deadline.Token));
        }

        for (var i = 0; i < events.Count; i++)
        {
            exchanges.Add(new ExchangeRecord($"GET {watchPath} (event {i + 1})", new HttpSnapshot((int)response.StatusCode, new Dictionary<string, string>(), events[i] ?? "(stream ended)"), CompareMode.Exact, false));
        }

        return new ServerRun(server, rebase, exchanges);
    }

    public async Task CompareAsync(ServerPair pair)
    {
        var reference = await RunAsync(pair.Reference);
        var candidate = await RunAsync(pair.Candidate);
        DifferentialAssert.Identical(Name, reference, candidate);
    }

    private static async Task<string?> ReadAllAsync(StreamReader reader, CancellationToken cancellationToken) =>
        await reader.ReadToEndAsync(cancellationToken);

    private static async Task<ExchangeRecord> SendAsync(ServerProcess server, IndexRebase rebase, string prefix, Step step)
    {
        var path = rebase.Resolve(step.PathAndQuery, prefix);
        var body = step.Body is null ? null : rebase.Resolve(step.Body, prefix);
        var response = await RawHttp.SendAsync(server.ClientUrl, step.Method, path, body, step.ContentType);
        return new ExchangeRecord(new Step(step.Method, path, body, step.ContentType).ToString(), response, step.Mode, step.KeepsListingOrder);
    }
}
