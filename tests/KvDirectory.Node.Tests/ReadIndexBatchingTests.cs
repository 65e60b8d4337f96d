using KvDirectory.Raft;
using KvDirectory.Store;

namespace KvDirectory.Node.Tests;

/// <summary>
/// Linearizable reads share read points: concurrent reads cost one ReadIndex (one heartbeat round on the leader, one
/// forwarded request from a follower), not one each. Three real nodes over the stepped in-memory network of the
/// simulation, lossless and without faults; every message a member sends is recorded.
/// </summary>
public sealed class ReadIndexBatchingTests
{
    private const int Seed = 11;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Concurrent_reads_are_confirmed_by_one_read_point(bool onLeader)
    {
        var cluster = new SteppedCluster(Seed);
        var (leader, follower) = cluster.ElectLeader();
        var target = onLeader ? leader : follower;
        cluster.Sent.Clear();

        var reads = Enumerable.Range(0, 20).Select(_ => target.Node!.SubmitRead()).ToList();
        cluster.StepUntil(() => reads.All(r => r.Completion.Task.IsCompleted));

        reads.Should().OnlyContain(r => r.Completion.Task.IsCompletedSuccessfully);
        cluster.ReadPointsConfirmedBy(leader).Should().Be(1, "the 20 reads arrived together");
        cluster.Sent.Count(m => m.Type == MessageType.MsgReadIndex).Should().Be(onLeader ? 0 : 1, "a follower forwards one request for all of them");
    }

    [Fact]
    public void Reads_that_arrive_while_a_read_point_is_confirmed_share_the_next_one()
    {
        var cluster = new SteppedCluster(Seed);
        var (leader, _) = cluster.ElectLeader();
        cluster.Sent.Clear();

        var first = Enumerable.Range(0, 10).Select(_ => leader.Node!.SubmitRead()).ToList();
        cluster.Step(); // the leader asks its followers to confirm the first read point
        var second = Enumerable.Range(0, 10).Select(_ => leader.Node!.SubmitRead()).ToList();
        cluster.Step();
        second.Should().OnlyContain(r => !r.Completion.Task.IsCompleted, "a read point asked for before they arrived says nothing about them");
        cluster.StepUntil(() => second.All(r => r.Completion.Task.IsCompleted));

        first.Concat(second).Should().OnlyContain(r => r.Completion.Task.IsCompletedSuccessfully);
        cluster.ReadPointsConfirmedBy(leader).Should().Be(2);
    }

    [Fact]
    public void A_read_on_a_follower_waits_until_it_applied_a_write_acknowledged_before_the_read()
    {
        var cluster = new SteppedCluster(Seed);
        var (leader, follower) = cluster.ElectLeader();
        // The follower hears nothing from the leader: the write commits with the other follower alone.
        cluster.Network.Block(leader.Id, follower.Id);
        var write = leader.Node!.Submit(new SetCommand("/k", false, "v", null, false));
        cluster.StepUntil(() => write.Completion.Task.IsCompleted);
        write.Completion.Task.IsCompletedSuccessfully.Should().BeTrue();
        follower.Node!.AppliedIndex.Should().BeLessThan(leader.Node.AppliedIndex);

        var read = follower.Node.SubmitRead();
        for (var i = 0; i < 10; i++)
        {
            cluster.Step();
        }

        read.Completion.Task.IsCompleted.Should().BeFalse("the follower has not applied the write the leader acknowledged");
        cluster.Network.Heal();
        cluster.StepUntil(() => read.Completion.Task.IsCompleted);
        read.Completion.Task.IsCompletedSuccessfully.Should().BeTrue();
        follower.Store!.Get("/k", false, false).Node!.Value.Should().Be("v");
    }

    [Fact]
    public void A_read_point_request_lost_on_the_way_to_the_leader_is_asked_again()
    {
        var cluster = new SteppedCluster(Seed);
        var (leader, follower) = cluster.ElectLeader();
        cluster.Network.Block(follower.Id, leader.Id);
        var reads = Enumerable.Range(0, 5).Select(_ => follower.Node!.SubmitRead()).ToList();
        cluster.Step();
        cluster.Step();
        cluster.Network.Heal();

        cluster.StepUntil(() => reads.All(r => r.Completion.Task.IsCompleted));

        reads.Should().OnlyContain(r => r.Completion.Task.IsCompletedSuccessfully);
        cluster.Sent.Count(m => m.Type == MessageType.MsgReadIndex && m.From == follower.Id).Should().Be(2, "the first request was lost");
    }
}
