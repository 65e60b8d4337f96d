using System.Text.Json;

namespace KvDirectory.Cluster.Tests;

/// <summary>Three real processes of their own, since these tests kill members: failover and catching up after a restart.</summary>
public sealed class ThreeNodeFailoverTests
{
    [Fact]
    public async Task Killing_the_leader_elects_a_new_one_that_every_survivor_reports_writes_continue_and_the_restarted_member_catches_up()
    {
        await using var cluster = await ThreeNodeCluster.StartAsync();
        var oldLeader = await cluster.WaitForLeaderAsync();
        await cluster.PutEventuallyAsync(oldLeader, "before", "1");
        var leaderSince = new Dictionary<ThreeNodeMember, DateTimeOffset>();
        foreach (var follower in cluster.Members.Where(m => m != oldLeader))
        {
            leaderSince[follower] = (await LeaderInfoAsync(cluster, follower)).GetProperty("startTime").GetDateTimeOffset();
        }

        await oldLeader.KillAsync();
        var newLeader = await cluster.WaitForLeaderAsync();
        newLeader.Should().NotBe(oldLeader);

        // /v2/stats/self: every survivor names the new leader, with a leaderInfo.startTime later than the old one's.
        using (var self = JsonDocument.Parse(await cluster.Http.GetStringAsync(new Uri(newLeader.ClientUrl, "/v2/stats/self"))))
        {
            var newId = self.RootElement.GetProperty("id").GetString();
            foreach (var survivor in cluster.Running)
            {
                var info = await LeaderInfoAsync(cluster, survivor);
                info.GetProperty("leader").GetString().Should().Be(newId);
                info.GetProperty("startTime").GetDateTimeOffset().Should().BeAfter(leaderSince[survivor], $"{survivor.Name} saw a new leader take office");
            }
        }

        foreach (var survivor in cluster.Running)
        {
            await cluster.PutEventuallyAsync(survivor, $"while-down-{survivor.Name}", survivor.Name);
        }

        foreach (var survivor in cluster.Running)
        {
            (await cluster.GetAsync(survivor, "before", quorum: true)).Should().Be("1");
        }

        await cluster.RestartAsync(oldLeader);
        foreach (var survivor in cluster.Members.Where(m => m != oldLeader))
        {
            var key = $"while-down-{survivor.Name}";
            await cluster.PollAsync($"{key} on the restarted {oldLeader.Name}", async () =>
                await cluster.GetAsync(oldLeader, key, quorum: false) == survivor.Name);
        }

        (await cluster.GetAsync(oldLeader, "before", quorum: false)).Should().Be("1");
    }

    [Fact]
    public async Task A_member_that_missed_more_than_the_retained_log_catches_up_from_a_snapshot()
    {
        // Snapshot every 5 entries and keep only 2 behind it: the leader must send a MsgSnap over the side connection.
        await using var cluster = await ThreeNodeCluster.StartAsync("--snapshot-count", "5", "--snapshot-catchup-entries", "2");
        var leader = await cluster.WaitForLeaderAsync();
        var lagging = cluster.Members.First(m => m != leader);
        await lagging.KillAsync();

        for (var i = 0; i < 40; i++)
        {
            await cluster.PutEventuallyAsync(leader, $"missed-{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await cluster.RestartAsync(lagging);
        await cluster.PollAsync($"missed-39 on {lagging.Name}", async () => await cluster.GetAsync(lagging, "missed-39", quorum: false) == "39");
        (await cluster.GetAsync(lagging, "missed-0", quorum: false)).Should().Be("0");
        // The leader's log line crosses its log queue and a pipe, so it may arrive after the data it announces.
        await cluster.PollAsync("the leader's log of sending a snapshot [3008]", () => Task.FromResult(cluster.Output.Contains("[3008]", StringComparison.Ordinal)));
    }

    private static async Task<JsonElement> LeaderInfoAsync(ThreeNodeCluster cluster, ThreeNodeMember member)
    {
        using var self = JsonDocument.Parse(await cluster.Http.GetStringAsync(new Uri(member.ClientUrl, "/v2/stats/self")));
        return self.RootElement.GetProperty("leaderInfo").Clone();
    }
}
