using KvDirectory.Raft;
using static KvDirectory.Storage.Tests.LogBuilder;

namespace KvDirectory.Storage.Tests;

/// <summary>
/// The durable storage is checked against <see cref="MemoryRaftStorage"/> fed the same operations: after a
/// "crash" (dispose, reopen) everything acknowledged must read back the same through <see cref="IRaftStorage"/>.
/// </summary>
public sealed class DurableRaftStorageTests : IDisposable
{
    private static readonly ConfState Members = new(1, 2, 3);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DurableStorageOptions SmallOptions => new()
    {
        Wal = new WalOptions { SegmentSizeBytes = 4096, Preallocate = false, MaxRetainedSegments = 1 },
        Snapshots = new SnapshotStoreOptions { MaxSnapshots = 2 },
    };

    private DurableRaftStorage Open(ConfState? bootstrap = null, CapturingLogger? logger = null) =>
        DurableRaftStorage.Open(_dir.Path, SmallOptions, logger, bootstrap);

    private static void ShouldMatch(IRaftStorage actual, MemoryRaftStorage expected)
    {
        actual.InitialState().Should().Be(expected.InitialState());
        actual.FirstIndex().Should().Be(expected.FirstIndex());
        actual.LastIndex().Should().Be(expected.LastIndex());
        for (var i = expected.FirstIndex() - 1; i <= expected.LastIndex(); i++) actual.Term(i).Should().Be(expected.Term(i), $"term of {i}");
        actual.Entries(expected.FirstIndex(), expected.LastIndex() + 1, ulong.MaxValue)
            .Should().Equal(expected.Entries(expected.FirstIndex(), expected.LastIndex() + 1, ulong.MaxValue));
        actual.Snapshot().Metadata.Should().Be(expected.Snapshot().Metadata);
        actual.Snapshot().Data.ToArray().Should().Equal(expected.Snapshot().Data.ToArray());
    }

    [Fact]
    public void Everything_appended_reads_back_the_same_after_a_crash()
    {
        var expected = new MemoryRaftStorage(Members);
        using (var storage = Open(Members))
        {
            for (ulong batch = 0; batch < 30; batch++)
            {
                var entries = Entries((batch * 4) + 1, (batch * 4) + 4, term: 1 + (batch / 10), size: 64);
                var state = new HardState(1 + (batch / 10), 1, batch * 4);
                storage.Append(state, entries);
                expected.Append(entries);
                expected.SetHardState(state);
            }
            ShouldMatch(storage, expected);
        }

        using var reopened = Open();
        ShouldMatch(reopened, expected);
        reopened.InitialState().ConfState.Should().Be(Members, "the bootstrap membership was stored");
    }

    [Fact]
    public async Task Async_appends_are_visible_once_durable_and_survive_a_crash()
    {
        var expected = new MemoryRaftStorage();
        using (var storage = Open())
        {
            var pending = new List<Task>();
            for (ulong i = 1; i <= 50; i++)
            {
                pending.Add(storage.AppendAsync(new HardState(1, 1, i - 1), [Entry(i, 1)]));
                expected.Append([Entry(i, 1)]);
                expected.SetHardState(new HardState(1, 1, i - 1));
            }
            await Task.WhenAll(pending);
            ShouldMatch(storage, expected);
        }
        using var reopened = Open();
        ShouldMatch(reopened, expected);
    }

    [Fact]
    public void An_overwritten_suffix_stays_overwritten_after_a_crash()
    {
        var expected = new MemoryRaftStorage();
        using (var storage = Open())
        {
            storage.Append(new HardState(1, 1, 3), Entries(1, 8, 1));
            storage.Append(new HardState(2, 2, 3), Entries(5, 6, 2));
            expected.Append(Entries(1, 8, 1));
            expected.Append(Entries(5, 6, 2));
            expected.SetHardState(new HardState(2, 2, 3));
            ShouldMatch(storage, expected);
        }
        using var reopened = Open();
        ShouldMatch(reopened, expected);
    }

    [Fact]
    public void Snapshots_and_compaction_survive_a_crash_and_release_old_segments()
    {
        var expected = new MemoryRaftStorage(Members);
        var logger = new CapturingLogger();
        using (var storage = Open(Members, logger))
        {
            for (ulong i = 1; i <= 300; i += 5)
            {
                storage.Append(new HardState(1, 1, i + 4), Entries(i, i + 4, 1, size: 80));
                expected.Append(Entries(i, i + 4, 1, size: 80));
                expected.SetHardState(new HardState(1, 1, i + 4));
                if ((i + 4) % 100 == 0)
                {
                    var data = System.Text.Encoding.UTF8.GetBytes($"state at {i + 4}");
                    storage.CreateSnapshot(i + 4, null, data).Metadata.Index.Should().Be(i + 4);
                    storage.Compact(i + 4 - 10);
                    expected.CreateSnapshot(i + 4, null, data);
                    expected.Compact(i + 4 - 10);
                }
            }
            ShouldMatch(storage, expected);
            logger.MessagesWithEvent(4004).Should().NotBeEmpty("segments before the second-newest snapshot are released");
        }

        using var reopened = Open();
        // After a restart the log starts right after the snapshot; the kept catch-up entries are not needed.
        var restarted = new MemoryRaftStorage();
        restarted.ApplySnapshot(expected.Snapshot());
        restarted.SetHardState(expected.InitialState().HardState);
        restarted.Append(expected.Entries(301, 301, ulong.MaxValue));
        ShouldMatch(reopened, restarted);
        reopened.RecoveredSnapshot.Data.ToArray().Should().Equal("state at 300"u8.ToArray());
        reopened.RecoveredSnapshot.Metadata.Should().Be(new SnapshotMetadata(300, 1, Members));
    }

    [Fact]
    public void A_corrupted_latest_snapshot_falls_back_to_the_previous_one_and_replays_the_wal_after_it()
    {
        using (var storage = Open(Members))
        {
            for (ulong i = 1; i <= 200; i += 5) storage.Append(new HardState(1, 1, i + 4), Entries(i, i + 4, 1, size: 80));
            storage.CreateSnapshot(100, null, "at 100"u8.ToArray());
            storage.CreateSnapshot(180, null, "at 180"u8.ToArray());
            CorruptNewestSnapshot();
        }

        var logger = new CapturingLogger();
        using var reopened = Open(logger: logger);
        reopened.RecoveredSnapshot.Metadata.Index.Should().Be(100);
        reopened.FirstIndex().Should().Be(101);
        reopened.LastIndex().Should().Be(200);
        reopened.Entries(101, 201, ulong.MaxValue).Should().Equal(Entries(101, 200, 1, size: 80));
        logger.MessagesWithEvent(4021).Should().ContainSingle().Which.Should().Contain("index 180");
    }

    [Fact]
    public void An_installed_snapshot_replaces_the_log_across_a_crash()
    {
        var snapshot = new Snapshot(new SnapshotMetadata(50, 4, Members), "leader state"u8.ToArray());
        var expected = new MemoryRaftStorage();
        using (var storage = Open())
        {
            storage.Append(new HardState(1, 1, 2), Entries(1, 10, 1));
            storage.ApplySnapshot(snapshot);
            storage.Append(new HardState(4, 1, 50), Entries(51, 52, 4));
            expected.ApplySnapshot(snapshot);
            expected.Append(Entries(51, 52, 4));
            expected.SetHardState(new HardState(4, 1, 50));
            ShouldMatch(storage, expected);
            var stale = () => storage.ApplySnapshot(new Snapshot(new SnapshotMetadata(40, 4, Members), ReadOnlyMemory<byte>.Empty));
            stale.Should().Throw<SnapshotOutOfDateException>();
        }
        using var reopened = Open();
        ShouldMatch(reopened, expected);
        reopened.RecoveredSnapshot.Data.ToArray().Should().Equal("leader state"u8.ToArray());
    }

    [Fact]
    public void A_lost_wal_next_to_a_snapshot_continues_after_the_snapshot()
    {
        using (var storage = Open(Members))
        {
            storage.Append(new HardState(2, 1, 20), Entries(1, 20, 2));
            storage.CreateSnapshot(20, null, "twenty"u8.ToArray());
        }
        Directory.Delete(DurableStorageOptions.WalDirectory(_dir.Path), recursive: true);

        using (var restored = Open())
        {
            restored.FirstIndex().Should().Be(21);
            restored.LastIndex().Should().Be(20);
            restored.Append(new HardState(3, 0, 20), Entries(21, 21, 3));
        }
        using var again = Open();
        again.LastIndex().Should().Be(21);
        again.Term(20).Should().Be(2);
    }

    [Fact]
    public void A_snapshot_whose_term_disagrees_with_the_wal_marker_is_refused()
    {
        using (var storage = Open(Members))
        {
            storage.Append(new HardState(2, 1, 20), Entries(1, 20, 2));
            storage.CreateSnapshot(20, null, "twenty"u8.ToArray());
        }
        // Another history's snapshot at the same index.
        using (var store = SnapshotStore.Open(DurableStorageOptions.SnapshotDirectory(_dir.Path)))
        {
            store.Save(new SnapshotMetadata(20, 7, Members), new MemoryStream("other"u8.ToArray()));
        }
        var open = () => Open().Dispose();
        open.Should().Throw<WalCorruptedException>().WithMessage("*term 7*term 2*");
    }

    [Fact]
    public void Cluster_metadata_is_durable()
    {
        using (var storage = Open())
        {
            storage.Metadata.IsEmpty.Should().BeTrue();
            storage.SaveMetadata("cluster-id=42"u8);
        }
        using var reopened = Open();
        reopened.Metadata.ToArray().Should().Equal("cluster-id=42"u8.ToArray());
    }

    [Fact]
    public void Default_options_preallocate_64_MiB_segments_and_recover_without_a_repair()
    {
        var logger = new CapturingLogger();
        using (var storage = DurableRaftStorage.Open(_dir.Path, bootstrap: Members))
        {
            storage.Append(new HardState(1, 1, 2), Entries(1, 3, 1));
        }
        var segment = Directory.GetFiles(DurableStorageOptions.WalDirectory(_dir.Path), "*.wal").Should().ContainSingle().Subject;
        new FileInfo(segment).Length.Should().Be(64 * 1024 * 1024);

        using var reopened = DurableRaftStorage.Open(_dir.Path, logger: logger);
        reopened.Recovery.TailRepaired.Should().BeFalse();
        reopened.LastIndex().Should().Be(3);
        reopened.InitialState().Should().Be((new HardState(1, 1, 2), Members));
        logger.MessagesWithEvent(4040).Should().ContainSingle();
    }

    [Fact]
    public void Files_live_where_the_server_expects_them()
    {
        using (Open(Members))
        {
        }
        Directory.GetFiles(_dir.Combine("member", "wal"), "*.wal").Should().ContainSingle();
        Directory.GetFiles(_dir.Combine("member", "snap"), "*.snap").Should().ContainSingle("the bootstrap snapshot of the membership");
    }

    [Fact]
    public void The_recovered_snapshot_lets_go_of_its_data_once_released_and_the_store_still_hands_it_out()
    {
        using (var storage = Open(Members))
        {
            storage.Append(new HardState(1, 1, 20), Entries(1, 20, 1));
            storage.CreateSnapshot(20, null, "state at 20"u8.ToArray());
        }

        using var reopened = Open();
        reopened.RecoveredSnapshot.Data.ToArray().Should().Equal("state at 20"u8.ToArray());
        reopened.ReleaseRecoveredData();
        reopened.RecoveredSnapshot.Data.IsEmpty.Should().BeTrue();
        reopened.RecoveredSnapshot.Metadata.Should().Be(new SnapshotMetadata(20, 1, Members));
        reopened.Snapshot().Data.ToArray().Should().Equal("state at 20"u8.ToArray(), "a lagging follower still gets the data, read back from the store");
    }

    [Fact]
    public void A_newest_snapshot_that_cannot_be_read_back_is_temporarily_unavailable_never_replaced_by_an_older_one()
    {
        using var storage = Open(Members);
        storage.Append(new HardState(1, 1, 40), Entries(1, 40, 1));
        storage.CreateSnapshot(20, null, "at 20"u8.ToArray());
        storage.CreateSnapshot(40, null, "at 40"u8.ToArray());
        CorruptNewestSnapshot();

        var snapshot = () => storage.Snapshot();
        snapshot.Should().Throw<SnapshotTemporarilyUnavailableException>("the core was told of the snapshot at 40; an older one would not do");
    }

    /// <summary>Flips the last byte of the newest snapshot's file, so its checksum no longer matches.</summary>
    private void CorruptNewestSnapshot()
    {
        var newest = Directory.GetFiles(DurableStorageOptions.SnapshotDirectory(_dir.Path), "*.snap").Order(StringComparer.Ordinal).Last();
        var bytes = File.ReadAllBytes(newest);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(newest, bytes);
    }
}
