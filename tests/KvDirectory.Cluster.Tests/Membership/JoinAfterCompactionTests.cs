using System.Diagnostics;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// A member added once the leader has compacted its log cannot be caught up entry by entry: it must be sent a
/// snapshot, and that snapshot must bring the data and the membership (it has to know its peers afterwards).
/// </summary>
public abstract class JoinAfterCompactionTests(ITestOutputHelper output)
{
    /// <summary>
    /// etcd 3.4 keeps 5,000 entries behind each snapshot (SnapshotCatchUpEntries, not a flag; KvDirectory's
    /// <c>--snapshot-catchup-entries</c> defaults to the same), so with <c>--snapshot-count 1000</c> the first entries
    /// are gone after about 6,000 writes.
    /// </summary>
    private const int Writes = 7_000;

    protected abstract Server Server { get; }

    [Fact]
    public async Task A_member_added_after_the_log_was_compacted_receives_a_snapshot_and_holds_everything()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 3, "--snapshot-count", "1000");
        var leader = await cluster.WaitForLeaderAsync();
        var load = Stopwatch.StartNew();
        var writes = await cluster.PutManyAsync(leader, "/data", "compacted", Writes, connections: 16);
        output.WriteLine($"{Server}: {Writes} writes in {load.Elapsed.TotalSeconds:F1}s, last index {writes.Max(w => w.Index)}");

        var join = Stopwatch.StartNew();
        var joined = await cluster.AddMemberAsync();
        var healthy = join.Elapsed;
        var missing = await cluster.MissingWritesAsync(joined, writes, "/data");
        missing.Should().BeEmpty($"{joined.Name} holds everything written before it joined\n{cluster.Output}");
        output.WriteLine($"{Server}: {joined.Name} healthy {healthy.TotalSeconds:F1}s after the POST started, " +
            $"holding all {writes.Count} writes after {join.Elapsed.TotalSeconds:F1}s");

        await cluster.WaitUntilEveryMemberListsAllAsync();
        var after = await cluster.PutEventuallyAsync(joined, "/data/after-join", "four");
        await cluster.WaitForIndexAsync(joined, after);

        if (Server == Server.Etcd)
        {
            // Evidence that the join really went through a snapshot (etcd's peer metrics).
            var metrics = await cluster.Http.GetStringAsync(joined.Url("/metrics"));
            var received = metrics.Split('\n').Where(l => l.StartsWith("etcd_network_snapshot_receive_success", StringComparison.Ordinal)).ToArray();
            output.WriteLine($"{Server}: {string.Join("; ", received)}");
            received.Should().NotBeEmpty("the new etcd member was sent a snapshot, not the whole log");
        }

        foreach (var line in cluster.Events)
        {
            output.WriteLine($"{Server}: {line}");
        }
    }
}

[Collection(MembershipCollection.Name)]
[Trait(MembershipTraits.Server, MembershipTraits.Etcd)]
public sealed class JoinAfterCompactionOnEtcd(ITestOutputHelper output) : JoinAfterCompactionTests(output)
{
    protected override Server Server => Server.Etcd;
}

[Collection(MembershipCollection.Name)]
[Trait(MembershipTraits.Server, MembershipTraits.KvDirectory)]
public sealed class JoinAfterCompactionOnKvDirectory(ITestOutputHelper output) : JoinAfterCompactionTests(output)
{
    protected override Server Server => Server.KvDirectory;
}
