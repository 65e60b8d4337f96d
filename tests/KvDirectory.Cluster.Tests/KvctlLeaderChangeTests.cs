using KvDirectory.Testing;

namespace KvDirectory.Cluster.Tests;

/// <summary>kvctl's long-running verbs against a real three-member cluster whose leader dies under them.</summary>
public sealed class KvctlLeaderChangeTests
{
    [Fact]
    public async Task Watch_forever_on_the_leader_fails_over_and_prints_every_event_exactly_once_across_a_leader_change()
    {
        await using var cluster = await ThreeNodeCluster.StartAsync();
        var leader = await cluster.WaitForLeaderAsync();
        var followers = cluster.Members.Where(m => m != leader).ToArray();
        // --no-sync keeps this order: the watch is served by the leader, so killing it forces a failover.
        var endpoints = string.Join(',', new[] { leader }.Concat(followers).Select(m => m.ClientUrl.ToString().TrimEnd('/')));
        await using var watch = BackgroundKvctl.Start(endpoints, "--no-sync", "watch", "--forever", "/watched");
        await cluster.PollAsync("the watch registered on the leader", async () =>
            (await cluster.Http.GetStringAsync(new Uri(leader.ClientUrl, "/v2/stats/store"))).Contains("\"watchers\":1", StringComparison.Ordinal));

        for (var i = 1; i <= 3; i++)
        {
            await cluster.PutEventuallyAsync(leader, "watched", $"v{i}");
        }

        (await watch.ReadLinesAsync(3)).Should().Equal("v1", "v2", "v3");

        await leader.KillAsync();
        await cluster.WaitForLeaderAsync();
        for (var i = 4; i <= 6; i++)
        {
            await cluster.PutEventuallyAsync(followers[i % 2], "watched", $"v{i}");
        }

        (await watch.ReadLinesAsync(3)).Should().Equal("v4", "v5", "v6");
        await cluster.PutEventuallyAsync(followers[0], "watched", "v7");
        (await watch.ReadLineAsync()).Should().Be("v7", "no event was repeated after the failover");
    }
}
