namespace KvDirectory.Raft.Tests;

/// <summary>The driver contract: Ready batches, persistence before sending, Advance.</summary>
public sealed class RawNodeTests
{
    private static (RawNode Node, MemoryRaftStorage Storage) Bootstrapped(params ulong[] voters)
    {
        var storage = new MemoryRaftStorage();
        var node = new RawNode(new RaftConfig { Id = 1, Storage = storage });
        node.Bootstrap(voters);
        return (node, storage);
    }

    private static Ready Handle(RawNode node, MemoryRaftStorage storage)
    {
        var ready = node.GetReady();
        if (ready.Snapshot is { } s) storage.ApplySnapshot(s);
        storage.Append(ready.Entries);
        if (ready.HardState is { } hs) storage.SetHardState(hs);
        foreach (var e in ready.CommittedEntries.Where(e => e.Type == EntryType.ConfChange))
            node.ApplyConfChange(ConfChange.Decode(e.Data.Span));
        node.Advance(ready);
        return ready;
    }

    [Fact]
    public void Bootstrap_yields_the_membership_as_committed_conf_change_entries()
    {
        var (node, storage) = Bootstrapped(1, 2, 3);
        node.HasReady().Should().BeTrue();
        var ready = Handle(node, storage);
        ready.Entries.Should().HaveCount(3);
        ready.CommittedEntries.Should().HaveCount(3).And.OnlyContain(e => e.Type == EntryType.ConfChange);
        ready.HardState.Should().Be(new HardState(1, 0, 3));
        ready.MustSync.Should().BeTrue();
        node.HasReady().Should().BeFalse();
        node.Status().Config.Voters.Should().Equal(1UL, 2UL, 3UL);
    }

    [Fact]
    public void A_single_member_elects_itself_and_commits_proposals_through_ready()
    {
        var (node, storage) = Bootstrapped(1);
        Handle(node, storage);
        node.Campaign();
        var ready = Handle(node, storage);
        ready.SoftState.Should().Be(new SoftState(1, StateRole.Leader));
        node.Propose("hello"u8.ToArray());
        ready = Handle(node, storage);
        ready.Entries.Should().ContainSingle();
        ready.CommittedEntries.Should().ContainSingle().Which.Data.ToArray().Should().Equal("hello"u8.ToArray());
        storage.LastIndex().Should().Be(3);
    }

    [Fact]
    public void Messages_are_handed_out_with_the_entries_they_depend_on()
    {
        var (node, storage) = Bootstrapped(1, 2);
        Handle(node, storage);
        node.Campaign();
        var ready = node.GetReady();
        ready.HardState!.Value.Vote.Should().Be(1, "the vote must be persisted before the vote request leaves");
        ready.Messages.Should().ContainSingle(m => m.Type == MessageType.MsgVote);
        node.Advance(ready);
    }

    [Fact]
    public void Proposals_without_a_leader_are_dropped()
    {
        var (node, storage) = Bootstrapped(1, 2, 3);
        Handle(node, storage);
        node.TryPropose(new byte[] { 1 }).Should().BeFalse();
        ((Action)(() => node.Propose([1]))).Should().Throw<ProposalDroppedException>();
    }

    [Fact]
    public void Local_message_types_cannot_be_stepped_from_the_network()
    {
        var (node, _) = Bootstrapped(1);
        ((Action)(() => node.Step(new Message { Type = MessageType.MsgHup }))).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void GetReady_twice_without_Advance_is_refused()
    {
        var (node, _) = Bootstrapped(1);
        node.GetReady();
        ((Action)(() => node.GetReady())).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Bootstrapping_a_used_storage_is_refused()
    {
        var (node, storage) = Bootstrapped(1);
        Handle(node, storage);
        var again = new RawNode(new RaftConfig { Id = 1, Storage = storage });
        ((Action)(() => again.Bootstrap([1]))).Should().Throw<InvalidOperationException>();
    }
}
