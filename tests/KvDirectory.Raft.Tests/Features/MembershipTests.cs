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
    public void A_leader_that_removed_itself_leads_on_so_the_one_member_left_learns_the_commit_and_then_leads_alone()
    {
        var nw = TestNetwork.Create(2);
        nw.Campaign(1);
        var (leader, follower) = (nw[1], nw[2]);
        var removal = new Entry(0, 0, EntryType.ConfChange, new ConfChange(ConfChangeType.RemoveNode, 1).Encode());
        leader.Step(new Message { From = 1, To = 1, Type = MessageType.MsgProp, Entries = [removal] });
        // The follower stores the entry and acknowledges it; the append that would tell it the commit is lost.
        foreach (var append in leader.Take()) follower.Step(append);
        foreach (var ack in follower.Take()) leader.Step(ack);
        var removalIndex = leader.Log.LastIndex();
        leader.Log.Committed.Should().Be(removalIndex, "both voters hold the entry");
        leader.Take();
        follower.Log.Committed.Should().BeLessThan(removalIndex);

        leader.ApplyConfChange(new ConfChange(ConfChangeType.RemoveNode, 1));

        leader.Role.Should().Be(StateRole.Leader, "it leads on until its host stops it");
        leader.Promotable.Should().BeFalse();
        nw.Send(new Message { From = 1, To = 1, Type = MessageType.MsgBeat });
        follower.Log.Committed.Should().Be(removalIndex, "the heartbeat carries the commit of the removal");
        nw.Send(new Message { From = 1, To = 1, Type = MessageType.MsgProp, Entries = [TestRaft.Data("late")] });
        leader.Log.LastIndex().Should().Be(removalIndex, "a removed leader takes no new proposals");

        // Its host stopped: the member left applies the removal and wins an election on its own vote.
        follower.ApplyConfChange(new ConfChange(ConfChangeType.RemoveNode, 1));
        follower.Log.AppliedTo(removalIndex);
        nw.Isolate(1);
        follower.TickElection(40);
        nw.Send([.. follower.Take()]);
        follower.Role.Should().Be(StateRole.Leader);
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
