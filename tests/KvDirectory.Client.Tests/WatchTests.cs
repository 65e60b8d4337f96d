using KvDirectory.Cluster.Tests;
using KvDirectory.Protocol;

namespace KvDirectory.Client.Tests;

/// <summary>The resilient watch against live servers: order, exactly-once across restarts, and the 401 resync item.</summary>
public sealed class WatchTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _p = SingleNodeFixture.UniquePrefix();

    [Fact]
    public async Task A_watch_from_now_delivers_each_later_change_once_in_order()
    {
        using var client = fixture.NewClient();
        using var timeout = new CancellationTokenSource(Deadline);
        await using var updates = client.Keys.WatchAsync(_p, recursive: true, fromIndex: 0, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var first = updates.MoveNextAsync().AsTask();
        // "Now" is pinned when the watch's first read answers, which the test cannot see: it writes until the watch reports.
        var probes = new List<long>();
        while (!first.IsCompleted)
        {
            probes.Add((await client.Keys.SetAsync(_p + "/probe", "p")).Node!.ModifiedIndex);
            await Task.WhenAny(first, Task.Delay(20));
        }

        (await first).Should().BeTrue();
        var firstIndex = updates.Current.Index;
        probes.Should().Contain(firstIndex);
        var expected = probes.Where(index => index > firstIndex).ToList();
        for (var i = 0; i < 5; i++)
        {
            expected.Add((await client.Keys.SetAsync($"{_p}/k{i}", "v")).Node!.ModifiedIndex);
        }

        var seen = new List<long>();
        while (seen.Count < expected.Count && await updates.MoveNextAsync())
        {
            updates.Current.Kind.Should().Be(WatchUpdateKind.Event);
            seen.Add(updates.Current.Event!.Node!.ModifiedIndex);
        }

        seen.Should().Equal(expected);
    }

    [Fact]
    public async Task A_cleared_index_yields_a_resync_with_the_current_tree_and_the_watch_goes_on()
    {
        using var client = fixture.NewClient();
        await client.Keys.SetAsync(_p + "/kept", "value");
        await KeysApiTests.ClearHistoryAsync(client.Keys, _p + "/churn");
        using var timeout = new CancellationTokenSource(Deadline);
        await using var updates = client.Keys.WatchAsync(_p, recursive: true, fromIndex: 2, timeout.Token).GetAsyncEnumerator(timeout.Token);

        (await updates.MoveNextAsync()).Should().BeTrue();
        var resync = updates.Current;
        resync.Kind.Should().Be(WatchUpdateKind.Resync);
        resync.Snapshot!.Nodes!.Select(n => (n.Key, n.Value)).Should().Contain((_p + "/kept", "value"));
        resync.Index.Should().BeGreaterThanOrEqualTo(resync.Snapshot.Nodes!.Max(n => n.ModifiedIndex));

        var next = updates.MoveNextAsync();
        var written = await client.Keys.SetAsync(_p + "/after", "x");
        (await next).Should().BeTrue();
        updates.Current.Kind.Should().Be(WatchUpdateKind.Event);
        updates.Current.Event!.Node!.ModifiedIndex.Should().Be(written.Node!.ModifiedIndex);
    }

    [Fact]
    public async Task A_watch_resumes_across_a_server_restart_without_losing_or_repeating_an_event()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"kvdirectory-client-restart-{Guid.NewGuid():N}");
        var member = new ThreeNodeMember("solo", dir);
        var initialCluster = $"solo={member.PeerUrl}";
        try
        {
            member.Start(initialCluster, []);
            await WaitHealthyAsync(member);
            using var client = new EtcdClient(new EtcdClientOptions { Endpoints = [member.ClientUrl] });
            var start = await client.Keys.SetAsync("/w/start", "0");
            using var timeout = new CancellationTokenSource(Deadline);
            var seen = new List<long>();
            await using var updates = client.Keys.WatchAsync("/w", recursive: true, fromIndex: start.Node!.ModifiedIndex + 1, timeout.Token).GetAsyncEnumerator(timeout.Token);
            var written = new List<long>();
            for (var i = 0; i < 10; i++)
            {
                written.Add((await client.Keys.SetAsync($"/w/k{i}", "a")).Node!.ModifiedIndex);
            }

            while (seen.Count < 10 && await updates.MoveNextAsync())
            {
                seen.Add(updates.Current.Event!.Node!.ModifiedIndex);
            }

            // The watch is parked in a long poll now; the server dies under it, and changes happen before it is back.
            var parked = updates.MoveNextAsync();
            await member.KillAsync();
            member.Start(initialCluster, []);
            await WaitHealthyAsync(member);
            for (var i = 10; i < 20; i++)
            {
                written.Add((await client.Keys.SetAsync($"/w/k{i}", "b")).Node!.ModifiedIndex);
            }

            (await parked).Should().BeTrue();
            seen.Add(updates.Current.Event!.Node!.ModifiedIndex);
            while (seen.Count < 20 && await updates.MoveNextAsync())
            {
                seen.Add(updates.Current.Event!.Node!.ModifiedIndex);
            }

            seen.Should().Equal(written);
        }
        finally
        {
            await member.KillAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task WaitHealthyAsync(ThreeNodeMember member)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(member.ClientUrl, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"the server should be healthy:\n{member.Output}");
            await Task.Delay(50);
        }
    }
}
