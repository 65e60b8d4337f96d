using System.Globalization;
using System.Text.RegularExpressions;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// The <c>X-Raft-Term</c> and <c>X-Raft-Index</c> headers on three real processes (the <see cref="SharedCluster"/>),
/// checked against each member's own <c>/metrics</c>.
/// </summary>
[Collection(SharedClusterCollection.Name)]
public sealed class RaftHeaderTests(SharedCluster shared)
{
    [Fact]
    public async Task X_raft_term_and_index_carry_the_members_term_and_commit_index()
    {
        var cluster = shared.Cluster;
        var leader = await cluster.WaitForLeaderAsync();
        for (var i = 0; i < 5; i++)
        {
            await cluster.PutEventuallyAsync(leader, $"raft-{i}", "v");
        }

        foreach (var member in cluster.Members)
        {
            // Wait until the member has committed the writes, then compare its headers with its own metrics.
            await cluster.PollAsync($"{member.Name} caught up", async () => await cluster.GetAsync(member, "raft-4", quorum: false) == "v");
            var before = await StatsTests.MetricsAsync(cluster, member);
            using var response = await cluster.Http.GetAsync(new Uri(member.ClientUrl, "/v2/keys/raft-4"));
            var after = await StatsTests.MetricsAsync(cluster, member);

            var term = long.Parse(response.Headers.GetValues("X-Raft-Term").Single(), CultureInfo.InvariantCulture);
            var index = long.Parse(response.Headers.GetValues("X-Raft-Index").Single(), CultureInfo.InvariantCulture);
            term.Should().BeGreaterThan(0).And.Be((long)Plain(after, "etcd_server_term"), $"{member.Name} reports its own term");
            index.Should().BeInRange((long)Plain(before, "etcd_server_commit_index"), (long)Plain(after, "etcd_server_commit_index"));
            // Three bootstrap membership entries, the leader's empty entry and five writes at least.
            index.Should().BeGreaterThanOrEqualTo(9);
        }
    }

    [Fact]
    public async Task A_writes_x_raft_index_already_counts_the_write_itself()
    {
        var cluster = shared.Cluster;
        var leader = await cluster.WaitForLeaderAsync();
        await cluster.PutEventuallyAsync(leader, "warm-up", "v");

        foreach (var writer in cluster.Members)
        {
            for (var i = 0; i < 20; i++)
            {
                var committedBefore = (long)Plain(await StatsTests.MetricsAsync(cluster, writer), "etcd_server_commit_index");
                using var put = await cluster.PutAsync(writer, $"index-{writer.Name}-{i}", "v");
                put.EnsureSuccessStatusCode();
                var index = long.Parse(put.Headers.GetValues("X-Raft-Index").Single(), CultureInfo.InvariantCulture);
                index.Should().BeGreaterThan(committedBefore, $"write {i} on {writer.Name} is committed before it is answered");
            }
        }
    }

    private static double Plain(string metrics, string name)
    {
        var match = Regex.Match(metrics, $"^{Regex.Escape(name)} (\\S+)$", RegexOptions.Multiline);
        match.Success.Should().BeTrue($"/metrics has {name}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
