using System.Globalization;
using System.Net;
using System.Text.Json;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// <c>/v2/stats/leader</c>, <c>/v2/stats/self</c> and the peer metrics on three real processes: the numbers come from
/// actual replication traffic, not placeholders. (The <c>X-Raft-*</c> headers: <see cref="RaftHeaderTests"/>; leaderInfo
/// after a failover: <see cref="ThreeNodeFailoverTests"/>.)
/// </summary>
public sealed class StatsTests
{
    [Fact]
    public async Task The_leader_times_both_followers_counts_appends_and_counts_failures_for_a_killed_one()
    {
        await using var cluster = await ThreeNodeCluster.StartAsync();
        var leader = await cluster.WaitForLeaderAsync();
        var followers = cluster.Members.Where(m => m != leader).ToArray();
        var ids = new Dictionary<ThreeNodeMember, string>();
        foreach (var member in cluster.Members)
        {
            ids[member] = (await SelfAsync(cluster, member)).GetProperty("id").GetString()!;
        }

        for (var i = 0; i < 10; i++)
        {
            await cluster.PutEventuallyAsync(leader, $"stats-{i}", "v");
        }

        // Every follower answered appends and heartbeats, with plausible round trips on loopback.
        await cluster.PollAsync("success counts for both followers", async () =>
        {
            var stats = await LeaderStatsAsync(cluster, leader);
            return followers.All(f => stats.GetProperty("followers").TryGetProperty(ids[f], out var s) &&
                                      s.GetProperty("counts").GetProperty("success").GetInt64() > 0);
        });
        var leaderStats = await LeaderStatsAsync(cluster, leader);
        leaderStats.GetProperty("leader").GetString().Should().Be(ids[leader]);
        leaderStats.GetProperty("followers").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(followers.Select(f => ids[f]));
        foreach (var follower in followers)
        {
            var latency = leaderStats.GetProperty("followers").GetProperty(ids[follower]).GetProperty("latency");
            var minimum = latency.GetProperty("minimum").GetDouble();
            var average = latency.GetProperty("average").GetDouble();
            var maximum = latency.GetProperty("maximum").GetDouble();
            minimum.Should().BeGreaterThan(0);
            average.Should().BeInRange(minimum, maximum);
            maximum.Should().BeLessThan(10_000, "a loopback round trip takes milliseconds");
            latency.GetProperty("current").GetDouble().Should().BeInRange(minimum, maximum);
            latency.GetProperty("standardDeviation").GetDouble().Should().BeGreaterThanOrEqualTo(0);
        }

        // Only the leader answers /v2/stats/leader.
        using (var refused = await cluster.Http.GetAsync(new Uri(followers[0].ClientUrl, "/v2/stats/leader")))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            body.RootElement.GetProperty("message").GetString().Should().Be("not current leader");
        }

        // The leader counts the appends it sends, each follower those it receives, and both go on rising.
        var leaderSelf = await SelfAsync(cluster, leader);
        leaderSelf.GetProperty("state").GetString().Should().Be("StateLeader");
        var sent = leaderSelf.GetProperty("sendAppendRequestCnt").GetInt64();
        sent.Should().BeGreaterThan(0);
        var received = new Dictionary<ThreeNodeMember, long>();
        foreach (var follower in followers)
        {
            var self = await SelfAsync(cluster, follower);
            self.GetProperty("state").GetString().Should().Be("StateFollower");
            self.GetProperty("leaderInfo").GetProperty("leader").GetString().Should().Be(ids[leader]);
            received[follower] = self.GetProperty("recvAppendRequestCnt").GetInt64();
            received[follower].Should().BeGreaterThan(0);
        }

        await cluster.PutEventuallyAsync(leader, "stats-more", "v");
        await cluster.PollAsync("append counters rising", async () =>
        {
            if ((await SelfAsync(cluster, leader)).GetProperty("sendAppendRequestCnt").GetInt64() <= sent)
            {
                return false;
            }

            foreach (var follower in followers)
            {
                if ((await SelfAsync(cluster, follower)).GetProperty("recvAppendRequestCnt").GetInt64() <= received[follower])
                {
                    return false;
                }
            }

            return true;
        });

        // Peer bytes flow both ways before anything fails.
        var followerMetrics = await MetricsAsync(cluster, followers[0]);
        Sample(followerMetrics, "etcd_network_peer_received_bytes_total", "From", ids[leader]).Should().BeGreaterThan(0);
        Sample(await MetricsAsync(cluster, leader), "etcd_network_peer_sent_bytes_total", "To", ids[followers[0]]).Should().BeGreaterThan(0);

        // A killed follower: the leader's fail count for it rises, and /metrics counts failed sends to it.
        var victim = followers[1];
        var failsBefore = (await LeaderStatsAsync(cluster, leader)).GetProperty("followers").GetProperty(ids[victim])
            .GetProperty("counts").GetProperty("fail").GetInt64();
        await victim.KillAsync();
        await cluster.PollAsync($"a rising fail count for {victim.Name}", async () =>
            (await LeaderStatsAsync(cluster, leader)).GetProperty("followers").GetProperty(ids[victim])
                .GetProperty("counts").GetProperty("fail").GetInt64() > failsBefore);
        await cluster.PollAsync($"a send failure metric for {victim.Name}", async () =>
            Sample(await MetricsAsync(cluster, leader), "etcd_network_peer_sent_failures_total", "To", ids[victim]) > 0);

        // The survivor still answers: its successes keep rising.
        var survivor = followers[0];
        var survivorSuccess = (await LeaderStatsAsync(cluster, leader)).GetProperty("followers").GetProperty(ids[survivor])
            .GetProperty("counts").GetProperty("success").GetInt64();
        await cluster.PollAsync($"successes from {survivor.Name}", async () =>
            (await LeaderStatsAsync(cluster, leader)).GetProperty("followers").GetProperty(ids[survivor])
                .GetProperty("counts").GetProperty("success").GetInt64() > survivorSuccess);
    }

    private static async Task<JsonElement> SelfAsync(ThreeNodeCluster cluster, ThreeNodeMember member)
    {
        using var document = JsonDocument.Parse(await cluster.Http.GetStringAsync(new Uri(member.ClientUrl, "/v2/stats/self")));
        return document.RootElement.Clone();
    }

    private static async Task<JsonElement> LeaderStatsAsync(ThreeNodeCluster cluster, ThreeNodeMember leader)
    {
        using var document = JsonDocument.Parse(await cluster.Http.GetStringAsync(new Uri(leader.ClientUrl, "/v2/stats/leader")));
        return document.RootElement.Clone();
    }

    internal static Task<string> MetricsAsync(ThreeNodeCluster cluster, ThreeNodeMember member) =>
        cluster.Http.GetStringAsync(new Uri(member.ClientUrl, "/metrics"));

    /// <summary>The value of <c>name{label="value"}</c>, or 0 when the sample is absent.</summary>
    private static double Sample(string metrics, string name, string label, string value)
    {
        var prefix = $"{name}{{{label}=\"{value}\"}} ";
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}
