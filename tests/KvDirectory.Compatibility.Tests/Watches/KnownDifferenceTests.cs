using KvDirectory.Compatibility.Tests.Harness;
using KvDirectory.Compatibility.Tests.Scenarios;
using KvDirectory.Testing;
using static KvDirectory.Compatibility.Tests.Scenarios.StepBuilder;

namespace KvDirectory.Compatibility.Tests.Watches;

/// <summary>
/// The deliberate differences of KNOWN-DIFFERENCES.md, each encoded: what etcd does is asserted on the reference,
/// what we do instead is asserted on the candidate (when the candidate is etcd itself, it must behave as the reference).
/// </summary>
[Collection(EtcdSizedHistoryCollection.Name)]
public sealed class KnownDifferenceTests(EtcdSizedHistoryPair pair)
{
    private const int Writes = 1010;

    [Fact]
    public async Task Cleared_history_of_unrelated_keys_is_401_in_etcd_but_a_normal_wait_in_kvdirectory()
    {
        var reference = await WatchUntouchedKeyAfterHistoryRollsOverAsync(pair.Reference);
        reference.Should().Contain("\"errorCode\":401", "etcd clears by index regardless of the watched key");
        var candidate = await WatchUntouchedKeyAfterHistoryRollsOverAsync(pair.Candidate);
        if (CandidateKind.IsKvDirectory)
        {
            // Nothing under /x was dropped, so no event is lost by waiting: the watch is fired by the next write to /x/b.
            candidate.Should().Contain("\"action\":\"set\"").And.Contain("\"value\":\"fired\"");
        }
        else
        {
            candidate.Should().Contain("\"errorCode\":401");
        }
    }

    [Fact]
    public async Task Stream_watch_from_history_delivers_the_history_event_first()
    {
        var scenario = S("stream watch from history", Put("/a", "value=one"));
        var reference = await FirstStreamedEventAsync(pair.Reference, scenario);
        var candidate = await FirstStreamedEventAsync(pair.Candidate, scenario);
        DifferentialAssert.Identical(scenario.Name, reference, candidate);
    }

    /// <summary>
    /// Creates /x/keep, then writes 1010 events to /y/a only, then watches /x/b from just after /x/keep: every dropped
    /// event was under /y. etcd answers 401 at once; a server that keeps the watch is fired by a write to /x/b issued
    /// once its watcher count rose. (A sibling of the busy key would not do: its directory did change.)
    /// </summary>
    private static async Task<string> WatchUntouchedKeyAfterHistoryRollsOverAsync(ServerProcess server)
    {
        var prefix = "/known-unrelated-history";
        var baseIndex = await RawHttp.CurrentIndexAsync(server.ClientUrl);
        await RawHttp.SendAsync(server.ClientUrl, "PUT", $"/v2/keys{prefix}/x/keep", "value=v");
        for (var i = 0; i < Writes; i++)
        {
            await RawHttp.SendAsync(server.ClientUrl, "PUT", $"/v2/keys{prefix}/y/a", "value=v");
        }

        var watchersBefore = await StoreStats.WatcherCountAsync(server.ClientUrl);
        using var request = RawHttp.Request(server.ClientUrl, "GET", $"/v2/keys{prefix}/x/b?wait=true&waitIndex={baseIndex + 2}");
        using var response = await RawHttp.Shared.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = response.Content.ReadAsStringAsync();
        using var answered = new CancellationTokenSource();
        var registered = StoreStats.WaitForWatchersAboveAsync(server.ClientUrl, watchersBefore, cancellationToken: answered.Token);
        if (await Task.WhenAny(body, registered) == registered && !body.IsCompleted)
        {
            await registered;
            await RawHttp.SendAsync(server.ClientUrl, "PUT", $"/v2/keys{prefix}/x/b", "value=fired");
            return await body;
        }

        // Answered at once (etcd's 401): stop polling for a watcher that will never appear.
        await answered.CancelAsync();
        try
        {
            await registered;
        }
        catch (OperationCanceledException)
        {
        }

        return await body;
    }

    /// <summary>Only the first event is compared: etcd then ends the stream (a bug we need not copy), we may keep it open.</summary>
    private static async Task<ServerRun> FirstStreamedEventAsync(ServerProcess server, Scenario scenario)
    {
        var setup = await ScenarioRunner.RunAsync(scenario, server);
        var path = setup.Rebase.Resolve(Keys("/a?wait=true&stream=true&waitIndex={i+1}"), scenario.Prefix);
        using var request = RawHttp.Request(server.ClientUrl, "GET", path);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await RawHttp.Shared.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
        var first = await reader.ReadLineAsync(deadline.Token) ?? "(stream ended)";
        var exchanges = setup.Exchanges.Append(new ExchangeRecord($"GET {path} (first streamed line)", new HttpSnapshot((int)response.StatusCode, RawHttp.HeadersOf(response), first), CompareMode.Exact, false));
        return setup with { Exchanges = exchanges.ToList() };
    }
}
