using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// The operator's recipe for a lost machine: a SIGKILLed member is removed through a live member, and a new one
/// (new peer URL, fresh data dir, <c>--initial-cluster-state existing</c>) is added; it receives everything written
/// before it joined and the cluster is three members again.
/// </summary>
public abstract class ReplaceDeadMemberTests(ITestOutputHelper output)
{
    protected abstract Server Server { get; }

    [Fact]
    public async Task A_killed_member_is_removed_and_replaced_by_a_new_one_that_catches_up_on_everything_written_before()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 3);
        var leader = await cluster.WaitForLeaderAsync();
        var writes = new List<AcknowledgedWrite>(await cluster.PutManyAsync(leader, "/data", "before-kill", 500));

        var dead = cluster.Members.First(m => m != leader);
        await dead.KillAsync();
        var removal = await cluster.RemoveMemberAsync(dead, leader);
        removal.Status.Should().Be(HttpStatusCode.NoContent, $"{removal}\n{cluster.Output}");
        cluster.Members.Should().HaveCount(2);
        writes.AddRange(await cluster.PutManyAsync(leader, "/data", "while-two", 100));

        var join = Stopwatch.StartNew();
        var replacement = await cluster.AddMemberAsync();
        var healthy = join.Elapsed;
        replacement.PeerUrl.Should().NotBe(dead.PeerUrl);
        replacement.Id.Should().NotBe(dead.Id);

        var missing = await cluster.MissingWritesAsync(replacement, writes, "/data");
        var caughtUp = join.Elapsed;
        missing.Should().BeEmpty($"{replacement.Name} receives what was written before it joined\n{cluster.Output}");
        output.WriteLine($"{Server}: {replacement.Name} healthy {healthy.TotalSeconds:F1}s after POST started, " +
            $"holding all {writes.Count} earlier writes after {caughtUp.TotalSeconds:F1}s");

        cluster.Members.Should().HaveCount(3);
        await cluster.WaitUntilEveryMemberListsAllAsync();
        var last = await cluster.PutEventuallyAsync(replacement, "/data/after-join", "three-again");
        writes.Add(new AcknowledgedWrite("/data/after-join", "three-again", last, replacement.Name));
        foreach (var member in cluster.Members)
        {
            (await cluster.MissingWritesAsync(member, writes, "/data")).Should().BeEmpty();
        }

        foreach (var line in cluster.Events)
        {
            output.WriteLine($"{Server}: {line}");
        }
    }
}

[Collection(MembershipCollection.Name)]
[Trait(MembershipTraits.Server, MembershipTraits.Etcd)]
public sealed class ReplaceDeadMemberOnEtcd(ITestOutputHelper output) : ReplaceDeadMemberTests(output)
{
    protected override Server Server => Server.Etcd;
}

[Collection(MembershipCollection.Name)]
[Trait(MembershipTraits.Server, MembershipTraits.KvDirectory)]
public sealed class ReplaceDeadMemberOnKvDirectory(ITestOutputHelper output) : ReplaceDeadMemberTests(output)
{
    protected override Server Server => Server.KvDirectory;
}
