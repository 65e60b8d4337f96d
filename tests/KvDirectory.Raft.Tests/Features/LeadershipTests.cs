using KvDirectory.Raft.Tests.Support;

namespace KvDirectory.Raft.Tests.Features;

/// <summary>Pre-vote, check-quorum, leader stickiness, stale leaders and leadership transfer.</summary>
public sealed class LeadershipTests
{
    [Fact]
    public void A_partitioned_node_rejoining_with_pre_vote_does_not_disrupt_the_leader()
    {
        var nw = TestNetwork.Create(3, preVote: true);
        nw.Campaign(1);
        nw.Isolate(3);
        nw.Propose(1, "while 3 is away");
        // While cut off, node 3 keeps timing out; pre-vote fails so its term never grows.
        for (var i = 0; i < 5; i++) nw.Campaign(3);
        nw[3].Term.Should().Be(1);
        nw[3].Role.Should().Be(StateRole.PreCandidate);

        nw.Recover();
        nw.Campaign(3);
        nw[1].Role.Should().Be(StateRole.Leader, "node 3's log is behind, so its pre-vote is refused");
        nw[1].Term.Should().Be(1);
        nw[3].Term.Should().Be(1);
    }

    [Fact]
    public void Without_pre_vote_a_rejoining_node_with_a_higher_term_deposes_the_leader()
    {
        var nw = TestNetwork.Create(3);
        nw.Campaign(1);
        nw.Isolate(3);
        nw.Propose(1, "while 3 is away");
        for (var i = 0; i < 3; i++) nw.Campaign(3);
        nw[3].Term.Should().Be(4);
        nw.Recover();
        nw.Campaign(3);
        nw[1].Role.Should().Be(StateRole.Follower, "the vote request carries term 5");
        nw[1].Term.Should().Be(5);
        nw[3].Role.Should().NotBe(StateRole.Leader, "its log is behind");
    }

    [Fact]
    public void A_leader_that_cannot_reach_a_quorum_steps_down_with_check_quorum()
    {
        var nw = TestNetwork.Create(3, checkQuorum: true);
        nw.Campaign(1);
        nw.Isolate(1);
        nw[1].TickElection(11);
        nw[1].TickElection(11);
        nw[1].Role.Should().Be(StateRole.Follower);
    }

    [Fact]
    public void A_leader_that_hears_from_a_quorum_keeps_leading_with_check_quorum()
    {
        var nw = TestNetwork.Create(3, checkQuorum: true);
        nw.Campaign(1);
        for (var i = 0; i < 30; i++)
        {
            nw[1].Tick();
            nw.Send([.. nw[1].Take()]);
        }
        nw[1].Role.Should().Be(StateRole.Leader);
    }

    [Fact]
    public void Followers_in_a_lease_ignore_vote_requests_from_a_disruptive_node()
    {
        var nw = TestNetwork.Create(3, checkQuorum: true);
        nw.Campaign(1);
        var vote = new Message { From = 3, To = 2, Type = MessageType.MsgVote, Term = 5, Index = 10, LogTerm = 5 };
        nw[2].Step(vote);
        nw[2].Term.Should().Be(1);
        nw[2].Take().Should().BeEmpty();
    }

    [Fact]
    public void A_stale_leader_steps_down_when_it_learns_of_a_newer_term()
    {
        // With pre-vote on, followers answer a stale leader's appends so that it learns the newer term.
        var nw = TestNetwork.Create(3, preVote: true);
        nw.Campaign(1);
        nw.Isolate(1);
        nw.Campaign(2);
        nw.Recover();
        nw[1].Role.Should().Be(StateRole.Leader);
        nw.Propose(1, "stale");
        nw[1].Role.Should().Be(StateRole.Follower);
        nw[1].Term.Should().Be(2);
        nw[2].Log.Committed.Should().Be(2, "the stale leader's proposal never commits");
    }

    [Fact]
    public void Leadership_moves_to_an_up_to_date_follower()
    {
        var nw = TestNetwork.Create(3);
        nw.Campaign(1);
        nw.Send(new Message { From = 2, To = 1, Type = MessageType.MsgTransferLeader });
        nw[2].Role.Should().Be(StateRole.Leader);
        nw[1].Role.Should().Be(StateRole.Follower);
        nw[1].Lead.Should().Be(2);
    }

    [Fact]
    public void Leadership_transfer_to_a_lagging_follower_waits_until_it_catches_up()
    {
        var nw = TestNetwork.Create(3);
        nw.Campaign(1);
        nw.Isolate(3);
        nw.Propose(1);
        nw[1].Step(new Message { From = 3, To = 1, Type = MessageType.MsgTransferLeader });
        nw.Send([.. nw[1].Take()]);
        nw[1].LeadTransferee.Should().Be(3);
        nw[1].Step(new Message { From = 1, To = 1, Type = MessageType.MsgProp, Entries = [TestRaft.Data("x")] })
            .Should().BeFalse("proposals are refused while handing over");
        nw.Recover();
        nw.Send(new Message { From = 1, To = 1, Type = MessageType.MsgBeat });
        nw[3].Role.Should().Be(StateRole.Leader);
    }

    [Fact]
    public void Leadership_transfer_is_abandoned_after_an_election_timeout()
    {
        var nw = TestNetwork.Create(3);
        nw.Campaign(1);
        nw.Isolate(3);
        nw.Propose(1);
        nw[1].Step(new Message { From = 3, To = 1, Type = MessageType.MsgTransferLeader });
        nw.Send([.. nw[1].Take()]);
        nw[1].LeadTransferee.Should().Be(3);
        nw[1].TickElection(10);
        nw[1].LeadTransferee.Should().Be(0);
        nw[1].Role.Should().Be(StateRole.Leader);
    }

    [Fact]
    public void A_transfer_campaign_bypasses_leader_stickiness()
    {
        var nw = TestNetwork.Create(3, preVote: true, checkQuorum: true);
        nw.Campaign(1);
        nw.Send(new Message { From = 3, To = 1, Type = MessageType.MsgTransferLeader });
        nw[3].Role.Should().Be(StateRole.Leader);
        nw[3].Term.Should().Be(2);
    }
}
