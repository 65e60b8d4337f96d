using KvDirectory.Raft.Tests.Support;

namespace KvDirectory.Raft.Tests.Paper;

/// <summary>Raft paper §5.3 and §5.4: log replication and safety.</summary>
public sealed class ReplicationTests
{
    private static readonly ulong[] Three = [1, 2, 3];

    [Fact]
    public void A_new_leader_appends_an_empty_entry_of_its_term()
    {
        var nw = TestNetwork.Create(3);
        nw.Campaign(1);
        var entries = nw[1].AllEntries();
        entries.Should().ContainSingle().Which.Should().Be(new Entry(1, 1));
        nw[1].Log.Committed.Should().Be(1);
    }

    [Fact]
    public void A_leader_appends_a_proposal_and_sends_it_to_every_follower()
    {
        var node = Leader(Three);
        node.Step(new Message { From = 1, To = 1, Type = MessageType.MsgProp, Entries = [TestRaft.Data("x")] });
        node.Log.LastIndex().Should().Be(2);
        var apps = node.Take().Where(m => m.Type == MessageType.MsgApp).ToList();
        apps.Select(m => m.To).Should().BeEquivalentTo([2UL, 3UL]);
        apps.Should().OnlyContain(m => m.Entries.Count == 1 && m.Index == 1 && m.LogTerm == 1);
    }

    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(3, 0, 0)]
    [InlineData(3, 1, 1)]
    [InlineData(3, 2, 1)]
    [InlineData(5, 1, 0)]
    [InlineData(5, 2, 1)]
    [InlineData(5, 4, 1)]
    public void An_entry_commits_once_a_majority_stored_it(int size, int acks, int committedProposals)
    {
        var ids = Enumerable.Range(1, size).Select(i => (ulong)i).ToArray();
        var node = Leader(ids);
        node.Step(new Message { From = 1, To = 1, Type = MessageType.MsgProp, Entries = [TestRaft.Data("x")] });
        node.Take();
        for (var i = 0; i < acks; i++)
            node.Step(new Message { From = (ulong)i + 2, To = 1, Term = node.Term, Type = MessageType.MsgAppResp, Index = 2 });
        node.Log.Committed.Should().Be(1 + (ulong)committedProposals);
    }

    [Fact]
    public void A_leader_never_commits_an_entry_of_a_previous_term_by_counting_replicas()
    {
        // Figure 8: node 1 leads term 3 with an uncommitted entry from term 2 at index 2.
        var storage = TestRaft.StorageWithTerms(Three, 1, 2);
        storage.SetHardState(new HardState(2, 0, 1));
        var node = TestRaft.New(1, Three, storage: storage);
        node.Step(TestRaft.Hup(1));
        node.Step(new Message { From = 2, To = 1, Term = 3, Type = MessageType.MsgVoteResp });
        node.Role.Should().Be(StateRole.Leader);
        node.Log.LastIndex().Should().Be(3);

        node.Step(new Message { From = 2, To = 1, Term = 3, Type = MessageType.MsgAppResp, Index = 2 });
        node.Log.Committed.Should().Be(1, "index 2 is from term 2 and may still be overwritten");

        node.Step(new Message { From = 2, To = 1, Term = 3, Type = MessageType.MsgAppResp, Index = 3 });
        node.Log.Committed.Should().Be(3, "committing the term-3 entry commits everything before it");
    }

    [Fact]
    public void Figure_8_a_deposed_leaders_replicated_but_uncommitted_entry_is_overwritten()
    {
        var nw = TestNetwork.Create(5);
        nw.Campaign(1);
        // Leader 1 gets "lost" only to node 2 before losing the others.
        nw.Cut(1, 3);
        nw.Cut(1, 4);
        nw.Cut(1, 5);
        nw.Propose(1, "lost");
        nw[2].Log.LastIndex().Should().Be(2);
        nw[1].Log.Committed.Should().Be(1);

        nw.Recover();
        nw.Isolate(1);
        nw.Isolate(2);
        nw.Campaign(5);
        nw[5].Role.Should().Be(StateRole.Leader);
        nw.Propose(5, "winner");

        nw.Recover();
        // Probes to the cut-off nodes were lost; a heartbeat round resumes replication to them.
        nw.Send(new Message { From = 5, To = 5, Type = MessageType.MsgBeat });
        nw.Propose(5, "after");
        foreach (var n in nw.Nodes.Values)
        {
            n.AllEntries().Select(e => System.Text.Encoding.UTF8.GetString(e.Data.Span)).Should().Equal("", "", "winner", "after");
            n.Log.Committed.Should().Be(4);
        }
    }

    [Theory]
    [InlineData(new ulong[] { 1, 1 }, 2UL, 1UL, true)]
    [InlineData(new ulong[] { 1, 1 }, 2UL, 2UL, false)]
    [InlineData(new ulong[] { 1, 1 }, 3UL, 1UL, false)]
    [InlineData(new ulong[] { 1, 2 }, 1UL, 1UL, true)]
    [InlineData(new ulong[0], 0UL, 0UL, true)]
    public void A_follower_rejects_an_append_that_does_not_match_its_log(ulong[] terms, ulong prevIndex, ulong prevTerm, bool accepted)
    {
        var node = TestRaft.New(1, Three, storage: TestRaft.StorageWithTerms(Three, terms));
        node.BecomeFollower(2, 2);
        node.Step(new Message { From = 2, To = 1, Term = 2, Type = MessageType.MsgApp, Index = prevIndex, LogTerm = prevTerm, Entries = [new Entry(2, prevIndex + 1)] });
        var response = node.Take().Single();
        response.Reject.Should().Be(!accepted);
        if (accepted) node.Log.LastIndex().Should().Be(prevIndex + 1);
    }

    [Fact]
    public void A_follower_deletes_conflicting_entries_and_keeps_matching_ones()
    {
        var node = TestRaft.New(1, Three, storage: TestRaft.StorageWithTerms(Three, 1, 1, 1, 1));
        node.BecomeFollower(3, 2);
        node.Step(new Message
        {
            From = 2, To = 1, Term = 3, Type = MessageType.MsgApp, Index = 1, LogTerm = 1,
            Entries = [new Entry(1, 2), new Entry(3, 3)],
        });
        node.AllEntries().Select(e => e.Term).Should().Equal(1UL, 1UL, 3UL);
    }

    [Fact]
    public void A_follower_commits_what_the_leader_committed_but_not_beyond_the_appended_entries()
    {
        var node = TestRaft.New(1, Three);
        node.BecomeFollower(1, 2);
        node.Step(new Message { From = 2, To = 1, Term = 1, Type = MessageType.MsgApp, Index = 0, LogTerm = 0, Commit = 5, Entries = [new Entry(1, 1), new Entry(1, 2)] });
        node.Log.Committed.Should().Be(2);
    }

    [Theory]
    [InlineData(new ulong[] { 1, 1, 1, 4, 4, 5, 5, 6, 6 })]
    [InlineData(new ulong[] { 1, 1, 1, 4 })]
    [InlineData(new ulong[] { 1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6 })]
    [InlineData(new ulong[] { 1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7 })]
    [InlineData(new ulong[] { 1, 1, 1, 4, 4, 4, 4 })]
    [InlineData(new ulong[] { 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3 })]
    public void Figure_7_a_leader_brings_any_follower_log_in_line_with_its_own(ulong[] followerTerms)
    {
        ulong[] leaderTerms = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
        var leaderStorage = TestRaft.StorageWithTerms(Three, leaderTerms);
        leaderStorage.SetHardState(new HardState(8, 0, 0));
        var followerStorage = TestRaft.StorageWithTerms(Three, followerTerms);
        followerStorage.SetHardState(new HardState(7, 0, 0));
        var nw = new TestNetwork(
            TestRaft.New(1, Three, storage: leaderStorage),
            TestRaft.New(2, Three, storage: followerStorage),
            TestRaft.New(3, Three, storage: TestRaft.StorageWithTerms(Three, leaderTerms)));
        nw.Campaign(1);
        nw[1].Role.Should().Be(StateRole.Leader);
        nw.Propose(1);
        nw[2].AllEntries().Should().Equal(nw[1].AllEntries());
    }

    [Fact]
    public void Leader_completeness_a_node_missing_committed_entries_cannot_become_leader()
    {
        var nw = TestNetwork.Create(3);
        nw.Campaign(1);
        nw.Isolate(3);
        nw.Propose(1);
        nw.Propose(1);
        nw.Recover();
        nw.Isolate(1);
        nw.Campaign(3);
        nw[3].Role.Should().NotBe(StateRole.Leader);
        nw.Campaign(2);
        nw[2].Role.Should().Be(StateRole.Leader);
    }

    [Fact]
    public void Log_matching_all_nodes_end_with_identical_logs_after_leader_changes()
    {
        var nw = TestNetwork.Create(5);
        for (ulong round = 1; round <= 5; round++)
        {
            nw.Recover();
            nw.Campaign(round);
            nw.Propose(round, $"r{round}");
            nw.Isolate(round % 5 + 1);
            nw.Propose(round, $"p{round}");
        }
        nw.Recover();
        nw.Propose(5, "final");
        var reference = nw[5].AllEntries();
        foreach (var n in nw.Nodes.Values) n.AllEntries().Should().Equal(reference);
    }

    [Fact]
    public void Batching_splits_a_backlog_into_messages_bounded_by_max_size()
    {
        var storage = new MemoryRaftStorage(new ConfState(Three));
        var node = TestRaft.New(1, Three, storage: storage, maxSizePerMsg: 100);
        node.Step(TestRaft.Hup(1));
        node.Step(new Message { From = 2, To = 1, Term = 1, Type = MessageType.MsgVoteResp });
        node.Step(new Message { From = 2, To = 1, Term = 1, Type = MessageType.MsgAppResp, Index = 1 });
        node.Take();
        for (var i = 0; i < 10; i++) node.Step(new Message { From = 1, To = 1, Type = MessageType.MsgProp, Entries = [TestRaft.Data("0123456789")] });
        var toTwo = node.Take().Where(m => m.To == 2 && m.Type == MessageType.MsgApp).ToList();
        // Node 2 is replicating: each proposal is pipelined at once without waiting for acknowledgements.
        toTwo.Should().HaveCount(10);
        node.Step(new Message { From = 2, To = 1, Term = 1, Type = MessageType.MsgAppResp, Index = 1, Reject = true, RejectHint = 1 });
        toTwo.Should().OnlyContain(m => m.Entries.Count >= 1);
        // Node 3 is still probing; once it acknowledges, the backlog goes out in size-bounded batches.
        node.Step(new Message { From = 3, To = 1, Term = 1, Type = MessageType.MsgAppResp, Index = 1 });
        var batches = node.Take().Where(m => m.To == 3 && m.Type == MessageType.MsgApp).ToList();
        batches.Should().HaveCountGreaterThan(1).And.OnlyContain(m => m.Entries.Count > 1 && m.Entries.Sum(e => e.Size) <= 100);
        batches.Sum(m => m.Entries.Count).Should().Be(10);
    }

    private static RaftNode Leader(ulong[] ids)
    {
        var node = TestRaft.New(1, ids);
        node.Step(TestRaft.Hup(1));
        foreach (var id in ids.Skip(1)) node.Step(new Message { From = id, To = 1, Term = 1, Type = MessageType.MsgVoteResp });
        node.Role.Should().Be(StateRole.Leader);
        node.Take();
        // Everyone already holds the leader's empty entry.
        foreach (var id in ids.Skip(1)) node.Step(new Message { From = id, To = 1, Term = 1, Type = MessageType.MsgAppResp, Index = 1 });
        node.Take();
        node.Log.Committed.Should().Be(1);
        return node;
    }
}
