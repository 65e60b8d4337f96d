using KvDirectory.Raft;
using static KvDirectory.Storage.Tests.LogBuilder;

namespace KvDirectory.Storage.Tests;

public sealed class WalRoundTripTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WalDir => _dir.Combine("member", "wal");

    [Fact]
    public void Batches_across_several_segments_come_back_exactly_after_reopen()
    {
        var options = SmallSegments() with { MaxRetainedSegments = 0 };
        var expected = new List<Entry>();
        var state = HardState.Empty;
        var (log, _) = WriteAheadLog.Open(WalDir, options);
        using (log)
        {
            for (ulong batch = 0; batch < 40; batch++)
            {
                var entries = Entries((batch * 5) + 1, (batch * 5) + 5, term: 1 + (batch / 10), size: 100);
                state = new HardState(1 + (batch / 10), 1, batch * 5);
                log.Append(state, entries);
                expected.AddRange(entries);
            }
        }

        WalSegmentName.List(WalDir).Should().HaveCountGreaterThan(3, "4 KiB segments must have been cut several times");
        var (reopened, recovery) = WriteAheadLog.Open(WalDir, options);
        using (reopened)
        {
            recovery.HardState.Should().Be(state);
            recovery.Entries.Should().Equal(expected);
            recovery.TailRepaired.Should().BeFalse();
            reopened.LastIndex.Should().Be(200);
        }
    }

    [Fact]
    public void Appends_continue_after_reopen_and_survive_another_reopen()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (log) log.Append(new HardState(1, 1, 0), Entries(1, 3, 1));
        var (second, _) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (second) second.Append(new HardState(1, 1, 3), Entries(4, 6, 1));
        var (third, recovery) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (third)
        {
            recovery.Entries.Should().Equal(Entries(1, 6, 1));
            recovery.HardState.Should().Be(new HardState(1, 1, 3));
        }
    }

    [Fact]
    public void Entries_overwritten_after_a_leader_change_replace_the_old_suffix()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (log)
        {
            log.Append(new HardState(1, 1, 5), Entries(1, 10, 1));
            log.Append(new HardState(2, 2, 5), Entries(6, 8, 2));
        }
        var (reopened, recovery) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (reopened)
        {
            recovery.Entries.Should().Equal([.. Entries(1, 5, 1), .. Entries(6, 8, 2)]);
            reopened.LastIndex.Should().Be(8);
            reopened.Append(null, Entries(9, 9, 2));
        }
        var (third, again) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (third) again.Entries.Should().Equal([.. Entries(1, 5, 1), .. Entries(6, 9, 2)]);
    }

    [Fact]
    public void An_overwrite_in_a_later_segment_replaces_entries_of_an_earlier_segment()
    {
        var options = SmallSegments() with { MaxRetainedSegments = 0 };
        var (log, _) = WriteAheadLog.Open(WalDir, options);
        using (log)
        {
            AppendInBatches(log, 1, 60, 1);
            WalSegmentName.List(WalDir).Should().HaveCountGreaterThan(1);
            log.Append(new HardState(3, 3, 20), Entries(30, 31, 3));
        }
        var (reopened, recovery) = WriteAheadLog.Open(WalDir, options);
        using (reopened) recovery.Entries.Should().Equal([.. Entries(1, 29, 1, size: 100), .. Entries(30, 31, 3)]);
    }

    [Fact]
    public void Replay_starts_after_the_latest_snapshot_marker()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (log)
        {
            log.Append(new HardState(1, 1, 10), Entries(1, 10, 1));
            log.SaveSnapshotMarker(5, 1);
        }
        var (reopened, recovery) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (reopened)
        {
            recovery.Snapshot.Should().Be(new WalSnapshotMarker(5, 1));
            recovery.ReplayedAfter.Should().Be(5);
            recovery.Entries.Should().Equal(Entries(6, 10, 1));
        }
    }

    [Fact]
    public void Replay_can_start_after_an_older_snapshot_than_the_latest_marker()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (log)
        {
            log.Append(null, Entries(1, 10, 1));
            log.SaveSnapshotMarker(3, 1);
            log.SaveSnapshotMarker(8, 1);
        }
        var (reopened, recovery) = WriteAheadLog.Open(WalDir, SmallSegments(), replayAfterIndex: 3);
        using (reopened)
        {
            recovery.Snapshot.Index.Should().Be(8);
            recovery.Entries.Should().Equal(Entries(4, 10, 1));
        }
    }

    [Fact]
    public void An_overwrite_reaching_back_below_the_snapshot_still_cuts_off_the_entries_it_replaced()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (log)
        {
            log.Append(null, Entries(1, 10, 1));
            // A new leader's entries from 5 on replace 5..10; entries up to 6 are covered by the snapshot the replay starts after.
            log.Append(null, Entries(5, 8, 2));
        }
        var (reopened, recovery) = WriteAheadLog.Open(WalDir, SmallSegments(), replayAfterIndex: 6);
        using (reopened)
        {
            recovery.Entries.Should().Equal(Entries(7, 8, 2));
            reopened.LastIndex.Should().Be(8);
        }
    }

    [Fact]
    public void An_overwrite_ending_at_or_below_the_snapshot_leaves_no_stale_entry_after_it()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (log)
        {
            log.Append(null, Entries(1, 10, 1));
            log.Append(null, Entries(5, 6, 2));
        }
        var (reopened, recovery) = WriteAheadLog.Open(WalDir, SmallSegments(), replayAfterIndex: 6);
        using (reopened)
        {
            recovery.Entries.Should().BeEmpty("7..10 of term 1 were replaced by the term-2 log that ends at 6");
            reopened.LastIndex.Should().Be(6);
        }
    }

    [Fact]
    public void A_log_resetting_marker_discards_earlier_entries_and_appends_continue_after_it()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (log)
        {
            log.Append(null, Entries(1, 10, 1));
            log.SaveSnapshotMarker(20, 3, resetsLog: true);
            log.Append(new HardState(3, 0, 21), Entries(21, 22, 3));
        }
        var (reopened, recovery) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (reopened)
        {
            recovery.Entries.Should().Equal(Entries(21, 22, 3));
            recovery.Snapshot.Should().Be(new WalSnapshotMarker(20, 3));
        }
    }

    [Fact]
    public void An_append_that_would_leave_a_gap_is_rejected()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (log)
        {
            log.Append(null, Entries(1, 3, 1));
            var gap = () => log.Append(null, Entries(5, 6, 1));
            gap.Should().Throw<ArgumentException>().WithMessage("*gap*");
            var nonConsecutive = () => log.Append(null, [Entry(4, 1), Entry(6, 1)]);
            nonConsecutive.Should().Throw<ArgumentException>().WithMessage("*consecutive*");
        }
    }

    [Fact]
    public void Metadata_and_hard_state_survive_segment_cuts_and_released_segments()
    {
        var options = SmallSegments() with { MaxRetainedSegments = 1 };
        var metadata = "cluster=7;member=2"u8.ToArray();
        var (log, _) = WriteAheadLog.Open(WalDir, options);
        using (log)
        {
            log.SaveMetadata(metadata);
            AppendInBatches(log, 1, 100, 4);
            log.Append(new HardState(4, 2, 90), []);
            log.SaveSnapshotMarker(90, 4);
            AppendInBatches(log, 101, 130, 4);
            log.ReleaseBefore(90).Should().BePositive();
        }
        var (reopened, recovery) = WriteAheadLog.Open(WalDir, options);
        using (reopened)
        {
            recovery.Metadata.ToArray().Should().Equal(metadata);
            recovery.HardState.Should().Be(new HardState(4, 2, 90));
            recovery.Snapshot.Should().Be(new WalSnapshotMarker(90, 4));
            recovery.Entries.Should().Equal(Entries(91, 130, 4, size: 100));
        }
    }

    [Fact]
    public void ReleaseBefore_deletes_only_segments_wholly_covered_by_the_snapshot_and_keeps_max_retained_files()
    {
        var options = SmallSegments() with { MaxRetainedSegments = 2 };
        var (log, _) = WriteAheadLog.Open(WalDir, options);
        using (log)
        {
            AppendInBatches(log, 1, 200, 1);
            var segments = WalSegmentName.List(WalDir);
            segments.Count.Should().BeGreaterThan(4);

            // Index 0 covers nothing: nothing goes.
            log.ReleaseBefore(0).Should().Be(0);

            // Up to just before the third segment's first index: the first two segments go.
            var third = segments[2].Name.FirstIndex;
            log.ReleaseBefore(third - 1).Should().Be(2);
            WalSegmentName.List(WalDir).Select(s => s.Name).Should().Equal(segments.Skip(2).Select(s => s.Name));

            // Everything covered, but two files stay.
            log.ReleaseBefore(200);
            WalSegmentName.List(WalDir).Should().HaveCount(2);
            log.SaveSnapshotMarker(200, 1);
        }
        var (reopened, recovery) = WriteAheadLog.Open(WalDir, options);
        using (reopened) recovery.Entries.Should().BeEmpty();
    }

    [Fact]
    public void Releasing_entries_the_caller_still_needs_is_reported_on_open()
    {
        var options = SmallSegments() with { MaxRetainedSegments = 1 };
        var (log, _) = WriteAheadLog.Open(WalDir, options);
        using (log)
        {
            AppendInBatches(log, 1, 100, 1);
            log.SaveSnapshotMarker(100, 1);
            log.ReleaseBefore(100);
        }
        var open = () => WriteAheadLog.Open(WalDir, options, replayAfterIndex: 10).Log.Dispose();
        open.Should().Throw<WalCorruptedException>().WithMessage("*after index 10*");
    }

    [Fact]
    public void Preallocated_segments_have_the_full_size_and_reopen_without_a_repair()
    {
        var options = SmallSegments(preallocate: true) with { MaxRetainedSegments = 0 };
        var logger = new CapturingLogger();
        var (log, _) = WriteAheadLog.Open(WalDir, options);
        using (log)
        {
            AppendInBatches(log, 1, 50, 1);
            log.Append(new HardState(1, 1, 1), []);
        }
        var segments = WalSegmentName.List(WalDir);
        new FileInfo(segments[^1].Path).Length.Should().Be(4096);
        var sealedScan = () => WalSegmentScanner.Scan(segments[0].Path, File.ReadAllBytes(segments[0].Path), isLast: false);
        sealedScan.Should().NotThrow("a sealed segment is cut at its last record, without preallocated zeros");

        var (reopened, recovery) = WriteAheadLog.Open(WalDir, options, logger);
        using (reopened)
        {
            recovery.TailRepaired.Should().BeFalse();
            recovery.Entries.Should().Equal(Entries(1, 50, 1, size: 100));
            logger.MessagesWithEvent(4001).Should().BeEmpty();
        }
    }

    [Fact]
    public void Leftover_temporary_segment_from_a_crash_during_a_cut_is_removed()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (log) log.Append(null, Entries(1, 3, 1));
        var leftover = Path.Combine(WalDir, new WalSegmentName(2, 4).FileName + ".tmp");
        File.WriteAllBytes(leftover, [1, 2, 3]);
        var logger = new CapturingLogger();
        var (reopened, recovery) = WriteAheadLog.Open(WalDir, SmallSegments(), logger);
        using (reopened)
        {
            File.Exists(leftover).Should().BeFalse();
            recovery.Entries.Should().Equal(Entries(1, 3, 1));
            logger.MessagesWithEvent(4005).Should().ContainSingle().Which.Should().Contain(leftover);
        }
    }

    [Fact]
    public void A_second_open_of_a_log_in_use_fails_until_the_first_is_disposed()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (log)
        {
            var second = () => WriteAheadLog.Open(WalDir, SmallSegments()).Log.Dispose();
            second.Should().Throw<IOException>().WithMessage("*in use*");
        }
        var (again, _) = WriteAheadLog.Open(WalDir, SmallSegments());
        again.Dispose();
    }

    [Fact]
    public void New_log_names_its_first_segment_with_sequence_1_and_first_index_1()
    {
        var (log, recovery) = WriteAheadLog.Open(WalDir, SmallSegments());
        using (log)
        {
            recovery.Entries.Should().BeEmpty();
            recovery.HardState.Should().Be(HardState.Empty);
            Directory.GetFiles(WalDir, "*.wal").Select(Path.GetFileName).Should().Equal("0000000000000001-0000000000000001.wal");
        }
    }
}
