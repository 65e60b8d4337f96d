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
    public Task Cleared_history_of_another_subtree_is_401_in_etcd_but_a_normal_wait_in_kvdirectory() =>
        ClearedHistoryOfUnrelatedKeysAsync("/known-unrelated-subtree", "/x/keep", "/y/a", "/x/b");

    /// <summary>The README promises it for any quiet key: here an existing key whose sibling was the busy one.</summary>
    [Fact]
    public Task Cleared_history_of_a_busy_sibling_is_401_in_etcd_but_a_normal_wait_in_kvdirectory() =>
        ClearedHistoryOfUnrelatedKeysAsync("/known-unrelated-sibling", "/b", "/a", "/b");

    private async Task ClearedHistoryOfUnrelatedKeysAsync(string prefix, string quietKey, string busyKey, string watchedKey)
    {
        var reference = await WatchUntouchedKeyAfterHistoryRollsOverAsync(pair.Reference, prefix, quietKey, busyKey, watchedKey);
        reference.Should().Contain("\"errorCode\":401", "etcd clears by index regardless of the watched key");
        var candidate = await WatchUntouchedKeyAfterHistoryRollsOverAsync(pair.Candidate, prefix, quietKey, busyKey, watchedKey);
        if (CandidateKind.IsKvDirectory)
        {
            // No dropped event concerned the watched key, so none is lost by waiting: the next write to it fires the watch.
            candidate.Should().Contain("\"action\":\"set\"").And.Contain("\"value\":\"fired\"");
        }
        else
        {
            candidate.Should().Contain("\"errorCode\":401");
        }
    }

    [Fact]
    public async Task Stream_watch_from_history_goes_silent_after_one_event_in_etcd_but_goes_on_live_in_kvdirectory()
    {
        var scenario = S("stream watch from history", Put("/a", "value=one"));
        var (reference, referenceNext) = await StreamFromHistoryAsync(pair.Reference, scenario, expectLive: false);
        var (candidate, candidateNext) = await StreamFromHistoryAsync(pair.Candidate, scenario, expectLive: CandidateKind.IsKvDirectory);

        // Status, headers and the history event itself must be the same.
        DifferentialAssert.Identical(scenario.Name, reference, candidate);
        referenceNext.Should().Be("(no watcher registered)", "etcd serves the history event and never registers the stream's watcher");
        if (CandidateKind.IsKvDirectory)
        {
            candidateNext.Should().Contain("\"value\":\"two\"", "we keep the stream and deliver the next live event");
        }
        else
        {
            candidateNext.Should().Be("(no watcher registered)");
        }
    }

    /// <summary>
    /// Writes the quiet key once, then 1010 events to the busy key only, then watches the watched key from just after
    /// the quiet write: no dropped event concerned it. etcd answers 401 at once; a server that keeps the watch is
    /// fired by a write to the watched key issued once its watcher count rose.
    /// </summary>
    private static async Task<string> WatchUntouchedKeyAfterHistoryRollsOverAsync(ServerProcess server, string prefix, string quietKey, string busyKey, string watchedKey)
    {
        var baseIndex = await RawHttp.CurrentIndexAsync(server.ClientUrl);
        await RawHttp.SendAsync(server.ClientUrl, "PUT", $"/v2/keys{prefix}{quietKey}", "value=v");
        for (var i = 0; i < Writes; i++)
        {
            await RawHttp.SendAsync(server.ClientUrl, "PUT", $"/v2/keys{prefix}{busyKey}", "value=v");
        }

        var watchersBefore = await StoreStats.WatcherCountAsync(server.ClientUrl);
        using var request = RawHttp.Request(server.ClientUrl, "GET", $"/v2/keys{prefix}{watchedKey}?wait=true&waitIndex={baseIndex + 2}");
        using var response = await RawHttp.Shared.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = response.Content.ReadAsStringAsync();
        using var answered = new CancellationTokenSource();
        var registered = StoreStats.WaitForWatchersAboveAsync(server.ClientUrl, watchersBefore, cancellationToken: answered.Token);
        if (await Task.WhenAny(body, registered) == registered && !body.IsCompleted)
        {
            await registered;
            await RawHttp.SendAsync(server.ClientUrl, "PUT", $"/v2/keys{prefix}{watchedKey}", "value=fired");
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

    /// <summary>
    /// Streams /a from its first event. When the server is expected to go on live, writes /a again once the stream's
    /// watcher is registered and returns the next line. Otherwise the stream stays open but silent forever, which is
    /// observable without waiting: etcd's watcher count did not move, so nothing can ever be delivered on it.
    /// </summary>
    private static async Task<(ServerRun Run, string? Next)> StreamFromHistoryAsync(ServerProcess server, Scenario scenario, bool expectLive)
    {
        var setup = await ScenarioRunner.RunAsync(scenario, server);
        var path = setup.Rebase.Resolve(Keys("/a?wait=true&stream=true&waitIndex={i+1}"), scenario.Prefix);
        var watchersBefore = await StoreStats.WatcherCountAsync(server.ClientUrl);
        using var request = RawHttp.Request(server.ClientUrl, "GET", path);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await RawHttp.Shared.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
        var first = await reader.ReadLineAsync(deadline.Token) ?? "(stream ended)";
        string? next;
        if (expectLive)
        {
            await StoreStats.WaitForWatchersAboveAsync(server.ClientUrl, watchersBefore);
            await RawHttp.SendAsync(server.ClientUrl, "PUT", setup.Rebase.Resolve(Keys("/a"), scenario.Prefix), "value=two");
            next = await reader.ReadLineAsync(deadline.Token);
        }
        else
        {
            var watchers = await StoreStats.WatcherCountAsync(server.ClientUrl);
            next = watchers == watchersBefore ? "(no watcher registered)" : $"(watchers went from {watchersBefore} to {watchers})";
        }

        var exchanges = setup.Exchanges.Append(new ExchangeRecord($"GET {path} (first streamed line)", new HttpSnapshot((int)response.StatusCode, RawHttp.HeadersOf(response), first), CompareMode.Exact, false));
        return (setup with { Exchanges = exchanges.ToList() }, next);
    }
}
