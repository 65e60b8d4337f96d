using KvDirectory.Raft.Tests.Support;

namespace KvDirectory.Raft.Tests.Features;

/// <summary>Log compaction and catching up a lagging follower with a snapshot.</summary>
public sealed class SnapshotTests
{
    private static readonly ulong[] Three = [1, 2, 3];

    [Fact]
    public void A_follower_that_needs_compacted_entries_receives_the_snapshot()
    {
        var storage = new MemoryRaftStorage(new ConfState(Three));
        var nw = new TestNetwork(
            TestRaft.New(1, Three, storage: storage),
            TestRaft.New(2, Three),
            TestRaft.New(3, Three));
        nw.Campaign(1);
        nw.Isolate(3);
        for (var i = 0; i < 5; i++) nw.Propose(1);
        nw[1].Persist(storage);
        storage.CreateSnapshot(6, null, new byte[] { 42 });
        storage.Compact(6);
        nw.Recover();

        var delivered = nw.Send(new Message { From = 1, To = 1, Type = MessageType.MsgBeat });
        var snap = delivered.Should().ContainSingle(m => m.Type == MessageType.MsgSnap).Subject;
        snap.Snapshot!.Metadata.Index.Should().Be(6);
        nw[3].Log.Committed.Should().Be(6);
        nw[3].Log.HasPendingSnapshot().Should().BeTrue("the driver must persist and apply it");
        // The follower's acknowledgement of the snapshot index lets the leader pipeline to it again.
        nw[1].Tracker.Progress[3].State.Should().Be(Tracking.ProgressState.Replicate);
        nw[1].Tracker.Progress[3].Match.Should().Be(6);

        nw.Propose(1, "after snapshot");
        nw[3].Log.LastIndex().Should().Be(7);
        nw[1].Tracker.Progress[3].Match.Should().Be(7);
    }

    [Fact]
    public void A_failed_snapshot_send_makes_the_leader_probe_again()
    {
        var storage = new MemoryRaftStorage(new ConfState(Three));
        var nw = new TestNetwork(TestRaft.New(1, Three, storage: storage), TestRaft.New(2, Three), TestRaft.New(3, Three));
        nw.Campaign(1);
        nw.Isolate(3);
        nw.Propose(1);
        nw[1].Persist(storage);
        storage.CreateSnapshot(2, null, new byte[] { 1 });
        storage.Compact(2);
        nw.Recover();
        nw.Ignore(MessageType.MsgSnap);
        nw.Send(new Message { From = 1, To = 1, Type = MessageType.MsgBeat });
        nw[1].Tracker.Progress[3].State.Should().Be(Tracking.ProgressState.Snapshot);
        nw[1].Step(new Message { From = 3, To = 1, Type = MessageType.MsgSnapStatus, Reject = true });
        nw[1].Tracker.Progress[3].State.Should().Be(Tracking.ProgressState.Probe);
        nw[1].Tracker.Progress[3].Next.Should().Be(2, "node 3 is known to hold index 1");
    }

    [Fact]
    public void A_node_restarts_from_its_snapshot_and_remaining_log()
    {
        var storage = TestRaft.StorageWithTerms(Three, 1, 1, 2, 2, 2);
        storage.SetHardState(new HardState(2, 1, 5));
        storage.CreateSnapshot(3, new ConfState(Three), new byte[] { 7 });
        storage.Compact(3);
        var node = new RawNode(new RaftConfig { Id = 1, Storage = storage, Applied = 3 });
        node.Raft.Term.Should().Be(2);
        node.Raft.Log.FirstIndex().Should().Be(4);
        var ready = node.GetReady();
        ready.CommittedEntries.Select(e => e.Index).Should().Equal(4UL, 5UL);
        ready.HardState.Should().BeNull("nothing changed since the restart");
    }

    [Fact]
    public void A_snapshot_older_than_the_commit_index_is_ignored()
    {
        var node = TestRaft.New(1, Three, storage: TestRaft.StorageWithTerms(Three, 1, 1, 1));
        node.BecomeFollower(1, 2);
        node.Step(new Message { From = 2, To = 1, Term = 1, Type = MessageType.MsgHeartbeat, Commit = 3 });
        node.Take();
        var old = new Snapshot(new SnapshotMetadata(2, 1, new ConfState(Three)), new byte[] { 1 });
        node.Step(new Message { From = 2, To = 1, Term = 1, Type = MessageType.MsgSnap, Snapshot = old });
        node.Log.HasPendingSnapshot().Should().BeFalse();
        node.Take().Single().Index.Should().Be(3, "the follower answers with its commit index");
    }
}
