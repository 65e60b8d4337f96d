namespace KvDirectory.Raft.Tests;

public sealed class MemoryRaftStorageTests
{
    private static MemoryRaftStorage WithEntries(params ulong[] terms)
    {
        var storage = new MemoryRaftStorage();
        storage.Append(terms.Select((t, i) => new Entry(t, (ulong)i + 1)).ToArray());
        return storage;
    }

    [Fact]
    public void Entries_are_returned_in_range_bounded_by_size_but_at_least_one()
    {
        var storage = WithEntries(1, 1, 2, 2);
        storage.Entries(1, 5, ulong.MaxValue).Select(e => e.Index).Should().Equal(1UL, 2UL, 3UL, 4UL);
        storage.Entries(2, 4, ulong.MaxValue).Select(e => e.Index).Should().Equal(2UL, 3UL);
        storage.Entries(1, 5, 0).Should().ContainSingle();
        storage.Entries(1, 5, 50).Should().HaveCount(2);
    }

    [Fact]
    public void Compaction_keeps_the_term_of_the_compaction_point()
    {
        var storage = WithEntries(1, 1, 2, 2, 3);
        storage.Compact(3);
        storage.FirstIndex().Should().Be(4);
        storage.LastIndex().Should().Be(5);
        storage.Term(3).Should().Be(2);
        ((Action)(() => storage.Term(2))).Should().Throw<LogCompactedException>();
        ((Action)(() => storage.Entries(3, 5, ulong.MaxValue))).Should().Throw<LogCompactedException>();
        ((Action)(() => storage.Entries(4, 7, ulong.MaxValue))).Should().Throw<EntryUnavailableException>();
        ((Action)(() => storage.Compact(2))).Should().Throw<LogCompactedException>();
    }

    [Fact]
    public void Appending_over_an_existing_suffix_replaces_it()
    {
        var storage = WithEntries(1, 1, 1);
        storage.Append([new Entry(2, 2), new Entry(2, 3), new Entry(2, 4)]);
        storage.Entries(1, 5, ulong.MaxValue).Select(e => e.Term).Should().Equal(1UL, 2UL, 2UL, 2UL);
    }

    [Fact]
    public void Appending_with_a_gap_is_refused_and_already_compacted_entries_are_skipped()
    {
        var storage = WithEntries(1, 1, 1);
        ((Action)(() => storage.Append([new Entry(1, 5)]))).Should().Throw<InvalidOperationException>();
        storage.Compact(2);
        storage.Append([new Entry(1, 1), new Entry(1, 2), new Entry(1, 3), new Entry(1, 4)]);
        storage.LastIndex().Should().Be(4);
        storage.FirstIndex().Should().Be(3);
    }

    [Fact]
    public void A_snapshot_replaces_the_log_and_older_snapshots_are_refused()
    {
        var storage = WithEntries(1, 1, 1);
        var snap = new Snapshot(new SnapshotMetadata(10, 3, new ConfState(1, 2)), new byte[] { 1 });
        storage.ApplySnapshot(snap);
        storage.FirstIndex().Should().Be(11);
        storage.LastIndex().Should().Be(10);
        storage.Term(10).Should().Be(3);
        storage.InitialState().ConfState.Should().Be(new ConfState(1, 2));
        ((Action)(() => storage.ApplySnapshot(snap with { Metadata = snap.Metadata with { Index = 9 } }))).Should().Throw<SnapshotOutOfDateException>();
    }

    [Fact]
    public void Creating_a_snapshot_records_the_term_and_membership_at_that_index()
    {
        var storage = WithEntries(1, 2, 3);
        var snap = storage.CreateSnapshot(2, new ConfState(1, 2, 3), new byte[] { 9 });
        snap.Metadata.Term.Should().Be(2);
        storage.Snapshot().Should().BeSameAs(snap);
        ((Action)(() => storage.CreateSnapshot(1, null, default))).Should().Throw<SnapshotOutOfDateException>();
    }
}
