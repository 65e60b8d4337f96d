using KvDirectory.Raft.Tests.Support;

namespace KvDirectory.Raft.Tests.Features;

/// <summary>Single-step membership changes and learners.</summary>
public sealed class MembershipTests
{
    [Fact]
    public void Adding_a_voter_changes_the_quorum_when_applied()
    {
        var node = TestRaft.New(1, [1]);
        node.Step(TestRaft.Hup(1));
        node.Role.Should().Be(StateRole.Leader);
        node.ApplyConfChange(new ConfChange(ConfChangeType.AddNode, 2)).Voters.Should().Equal(1UL, 2UL);
        node.Step(new Message { From = 1, To = 1, Type = MessageType.MsgProp, Entries = [TestRaft.Data("x")] });
        node.Log.Committed.Should().Be(1, "two voters now need both copies");
        node.Step(new Message { From = 2, To = 1, Term = 1, Type = MessageType.MsgAppResp, Index = 2 });
        node.Log.Committed.Should().Be(2);
    }

    [Fact]
    public void Removing_a_voter_may_commit_pending_entries_at_once()
    {
        var nw = TestNetwork.Create(3);
        nw.Campaign(1);
        nw.Isolate(2);
        nw.Isolate(3);
        nw.Propose(1);
        nw[1].Log.Committed.Should().Be(1);
        nw[1].ApplyConfChange(new ConfChange(ConfChangeType.RemoveNode, 2));
        nw[1].ApplyConfChange(new ConfChange(ConfChangeType.RemoveNode, 3));
        nw[1].Log.Committed.Should().Be(2);
    }

    [Fact]
    public void Only_one_conf_change_may_be_pending_at_a_time()
    {
        var node = TestRaft.New(1, [1, 2]);
        node.Step(TestRaft.Hup(1));
        node.Step(new Message { From = 2, To = 1, Term = 1, Type = MessageType.MsgVoteResp });
        var change = new Entry(0, 0, EntryType.ConfChange, new ConfChange(ConfChangeType.AddNode, 3).Encode());
        node.Step(new Message { From = 1, To = 1, Type = MessageType.MsgProp, Entries = [change] });
        node.Step(new Message { From = 1, To = 1, Type = MessageType.MsgProp, Entries = [change] });
        var entries = node.AllEntries();
        entries.Select(e => e.Type).Should().Equal(EntryType.Normal, EntryType.ConfChange, EntryType.Normal);
    }

    [Fact]
    public void A_leader_removed_from_the_configuration_steps_down()
    {
        var nw = TestNetwork.Create(3);
        nw.Campaign(1);
        nw[1].ApplyConfChange(new ConfChange(ConfChangeType.RemoveNode, 1));
        nw[1].Role.Should().Be(StateRole.Follower);
        nw[1].Promotable.Should().BeFalse();
        nw[1].TickElection(40);
        nw[1].Role.Should().Be(StateRole.Follower, "a non-member never campaigns");
    }

    [Fact]
    public void A_learner_receives_the_log_but_neither_votes_nor_campaigns()
    {
        var nw = new TestNetwork(TestRaft.New(1, [1], learners: [2]), TestRaft.New(2, [1], learners: [2]));
        nw[2].TickElection(40);
        nw[2].Role.Should().Be(StateRole.Follower);
        nw.Campaign(1);
        nw[1].Role.Should().Be(StateRole.Leader, "the learner does not count towards the quorum");
        nw.Propose(1);
        nw[2].Log.LastIndex().Should().Be(2);
        nw[2].Log.Committed.Should().Be(2);
    }

    [Fact]
    public void A_learner_is_not_asked_for_its_vote_and_its_vote_does_not_count()
    {
        var node = TestRaft.New(1, [1, 2], learners: [3]);
        node.Step(TestRaft.Hup(1));
        node.Take().Select(m => m.To).Should().Equal(2UL);
        node.Step(new Message { From = 3, To = 1, Term = 1, Type = MessageType.MsgVoteResp });
        node.Role.Should().Be(StateRole.Candidate);
    }

    [Fact]
    public void Promoting_a_learner_makes_it_a_voter_that_can_campaign()
    {
        var nw = new TestNetwork(TestRaft.New(1, [1], learners: [2]), TestRaft.New(2, [1], learners: [2]));
        nw.Campaign(1);
        foreach (var n in nw.Nodes.Values) n.ApplyConfChange(new ConfChange(ConfChangeType.AddNode, 2));
        nw[2].Promotable.Should().BeTrue();
        nw.Send(new Message { From = 2, To = 1, Type = MessageType.MsgTransferLeader });
        nw[2].Role.Should().Be(StateRole.Leader);
    }
}
