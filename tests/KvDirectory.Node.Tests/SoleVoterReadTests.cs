using KvDirectory.Node.Loop;
using KvDirectory.Node.Membership;
using KvDirectory.Node.Reads;
using KvDirectory.Store;

namespace KvDirectory.Node.Tests;

/// <summary>
/// A member that leads a cluster in which it is the only voter serves linearizable reads without a ReadIndex round
/// through its thread; the moment another voter could hear from it, that stops. Real nodes over the simulation's
/// stepped network.
/// </summary>
public sealed class SoleVoterReadTests
{
    private const int Seed = 7;

    [Fact]
    public void The_leader_of_a_one_member_cluster_serves_a_read_without_a_step_of_its_loop()
    {
        var cluster = new SteppedCluster(Seed, members: 1);
        var leader = cluster.Elect();
        var write = leader.Node!.Submit(new SetCommand("/k", false, "v", null, false));
        cluster.StepUntil(() => write.Completion.Task.IsCompleted);

        var read = leader.Node.SubmitRead();

        read.Should().BeSameAs(ReadInput.Served);
        read.Completion.Task.IsCompletedSuccessfully.Should().BeTrue();
        leader.Store!.Get("/k", false, false).Node!.Value.Should().Be("v", "the write was acknowledged before the read");
    }

    [Fact]
    public void Reads_take_the_round_again_before_the_leader_sends_anything_to_a_member_it_added()
    {
        var cluster = new SteppedCluster(Seed, members: 1);
        var leader = cluster.Elect();
        var url = "http://m2:2380";
        var change = new MembershipChange(MembershipChangeKind.Add, MemberId.Compute([url], "added"), [url]);
        ReadInput? readAtFirstMessage = null;
        cluster.BeforeSend = message =>
        {
            if (message.To == change.MemberId)
            {
                readAtFirstMessage ??= leader.Node!.SubmitRead();
            }
        };

        var added = leader.Node!.SubmitMembershipChange(change);
        cluster.StepUntil(() => added.Completion.Task.IsCompleted && readAtFirstMessage is not null);

        readAtFirstMessage.Should().NotBeSameAs(ReadInput.Served, "the added member may learn of writes from this message on");
        leader.Node.SubmitRead().Should().NotBeSameAs(ReadInput.Served);
        for (var i = 0; i < 10; i++)
        {
            cluster.Step();
        }

        readAtFirstMessage!.Completion.Task.IsCompleted.Should().BeFalse("two voters, one of them not running: no quorum confirms a read point");
    }

    [Fact]
    public void A_read_point_covers_only_what_was_applied_up_to_it()
    {
        var point = new SoleVoterReadPoint();
        point.Covers(10).Should().BeFalse("nothing published: not a sole voter that leads");

        point.Publish(5);
        point.Covers(4).Should().BeFalse("committed entries not applied yet");
        point.Covers(5).Should().BeTrue();

        point.Publish(null);
        point.Covers(5).Should().BeFalse("withdrawn");
    }
}
