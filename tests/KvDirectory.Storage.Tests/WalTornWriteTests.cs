using KvDirectory.Raft;
using static KvDirectory.Storage.Tests.LogBuilder;

namespace KvDirectory.Storage.Tests;

/// <summary>
/// What a crash can leave at the end of the log is cut off with a logged repair; damage anywhere else
/// stops the open with the file and offset named.
/// </summary>
public sealed class WalTornWriteTests : IDisposable
{
    private static readonly HardState FinalState = new(2, 1, 8);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncating_the_last_record_at_every_offset_keeps_every_earlier_record(bool preallocate)
    {
        var template = WriteTemplate(preallocate, out var segmentName, out var lastRecord);
        for (var cut = lastRecord.Offset + 1; cut < lastRecord.Offset + lastRecord.TotalSize; cut++)
        {
            var damaged = template.AsSpan(0, cut).ToArray();
            AssertTailRepaired(damaged, segmentName, lastRecord.Offset, preallocate, $"truncated at {cut}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Flipping_any_byte_of_the_last_record_keeps_every_earlier_record(bool preallocate)
    {
        var template = WriteTemplate(preallocate, out var segmentName, out var lastRecord);
        for (var position = lastRecord.Offset; position < lastRecord.Offset + lastRecord.TotalSize; position++)
        {
            var damaged = template.ToArray();
            damaged[position] ^= 0x5A;
            AssertTailRepaired(damaged, segmentName, lastRecord.Offset, preallocate, $"byte {position} flipped");
        }
    }

    [Fact]
    public void A_batch_cut_anywhere_keeps_exactly_its_complete_records()
    {
        var walDir = _dir.Combine("batch");
        var options = new WalOptions { SegmentSizeBytes = 64 * 1024, Preallocate = false };
        var (log, _) = WriteAheadLog.Open(walDir, options);
        long batchStart;
        using (log)
        {
            log.Append(new HardState(1, 1, 3), Entries(1, 5, 1));
            batchStart = new FileInfo(WalSegmentName.List(walDir)[0].Path).Length;
            log.Append(new HardState(2, 2, 9), Entries(6, 9, 2, size: 40));
        }
        var segment = WalSegmentName.List(walDir)[0];
        var template = File.ReadAllBytes(segment.Path);
        var batchRecords = RecordOffsets(template).Where(r => r.Offset >= batchStart).ToList();
        batchRecords.Should().HaveCount(5, "four entries and the hard state");

        for (var cut = (int)batchStart + 1; cut < template.Length; cut++)
        {
            var complete = batchRecords.Count(r => r.Offset + r.TotalSize <= cut);
            var torn = batchRecords.Any(r => r.Offset < cut && r.Offset + r.TotalSize > cut);
            var (reopened, recovery) = OpenDamaged(template.AsSpan(0, cut).ToArray(), segment.Name.FileName, preallocate: false, new CapturingLogger());
            using (reopened)
            {
                var entries = Math.Min(complete, 4);
                recovery.Entries.Should().Equal(Entries(1, 5, 1).Concat(Entries(6, 9, 2, size: 40).Take(entries)), $"cut at {cut}");
                recovery.HardState.Should().Be(complete == 5 ? new HardState(2, 2, 9) : new HardState(1, 1, 3), $"cut at {cut}");
                recovery.TailRepaired.Should().Be(torn, $"cut at {cut}");
            }
        }
    }

    [Fact]
    public void A_record_whose_payload_never_reached_preallocated_space_is_cut_off()
    {
        var template = WriteTemplate(preallocate: true, out var segmentName, out var lastRecord);
        var damaged = template.ToArray();
        damaged.AsSpan(lastRecord.Offset + WalRecordFormat.HeaderSize, lastRecord.TotalSize - WalRecordFormat.HeaderSize).Clear();
        AssertTailRepaired(damaged, segmentName, lastRecord.Offset, preallocate: true, "payload zeroed");
    }

    [Fact]
    public void Zeros_after_the_last_record_of_a_segment_that_was_not_preallocated_are_cut_off()
    {
        var template = WriteTemplate(preallocate: false, out var segmentName, out _);
        var damaged = template.Concat(new byte[100]).ToArray();
        var logger = new CapturingLogger();
        var (log, recovery) = OpenDamaged(damaged, segmentName, preallocate: false, logger);
        using (log)
        {
            recovery.Entries.Should().Equal(ExpectedEntries(9));
            recovery.TailRepair.Should().NotBeNull();
            recovery.TailRepair!.Offset.Should().Be(template.Length);
            recovery.TailRepair.DroppedBytes.Should().Be(100);
            logger.MessagesWithEvent(4001).Should().ContainSingle();
        }
    }

    [Fact]
    public void Damage_in_any_record_followed_by_valid_records_is_a_corruption_naming_file_and_offset()
    {
        var template = WriteTemplate(preallocate: false, out var segmentName, out var lastRecord);
        var records = RecordOffsets(template);
        records.Should().HaveCountGreaterThan(5);
        foreach (var record in records.Where(r => r.Offset != lastRecord.Offset))
        {
            var damaged = template.ToArray();
            damaged[record.Offset + WalRecordFormat.HeaderSize - 1] ^= 0x01; // inside the stored CRC
            var open = () => OpenDamaged(damaged, segmentName, preallocate: false, new CapturingLogger()).Log.Dispose();
            var thrown = open.Should().Throw<WalCorruptedException>().Which;
            thrown.Offset.Should().Be(record.Offset);
            thrown.File.Should().EndWith(segmentName);
            thrown.Message.Should().Contain(segmentName).And.Contain($"offset {record.Offset}");
        }
    }

    [Fact]
    public void Damage_in_a_sealed_segment_is_a_corruption_even_at_its_end()
    {
        var walDir = _dir.Combine("wal");
        var options = SmallSegments() with { MaxRetainedSegments = 0 };
        var (log, _) = WriteAheadLog.Open(walDir, options);
        using (log) AppendInBatches(log, 1, 100, 1);
        var segments = WalSegmentName.List(walDir);
        segments.Should().HaveCountGreaterThan(2);
        var sealedPath = segments[1].Path;
        var original = File.ReadAllBytes(sealedPath);
        var lastOfSealed = RecordOffsets(original)[^1];

        var flipped = original.ToArray();
        flipped[lastOfSealed.Offset + 20] ^= 0xFF;
        File.WriteAllBytes(sealedPath, flipped);
        var open = () => WriteAheadLog.Open(walDir, options).Log.Dispose();
        open.Should().Throw<WalCorruptedException>()
            .Where(e => e.File == sealedPath && e.Offset == lastOfSealed.Offset)
            .WithMessage($"*{Path.GetFileName(sealedPath)}*offset {lastOfSealed.Offset}*");

        File.WriteAllBytes(sealedPath, original.AsSpan(0, original.Length - 3).ToArray());
        open.Should().Throw<WalCorruptedException>().Where(e => e.File == sealedPath);
    }

    [Fact]
    public void A_missing_segment_between_others_is_a_corruption()
    {
        var walDir = _dir.Combine("wal");
        var options = SmallSegments() with { MaxRetainedSegments = 0 };
        var (log, _) = WriteAheadLog.Open(walDir, options);
        using (log) AppendInBatches(log, 1, 100, 1);
        var segments = WalSegmentName.List(walDir);
        File.Delete(segments[1].Path);
        var open = () => WriteAheadLog.Open(walDir, options).Log.Dispose();
        open.Should().Throw<WalCorruptedException>().WithMessage("*missing segments*");
    }

    [Fact]
    public void A_segment_replaced_by_one_from_another_history_breaks_the_crc_chain()
    {
        var walDir = _dir.Combine("wal");
        var otherDir = _dir.Combine("other");
        var options = SmallSegments() with { MaxRetainedSegments = 0 };
        foreach (var (dir, term) in new[] { (walDir, 1UL), (otherDir, 2UL) })
        {
            var (log, _) = WriteAheadLog.Open(dir, options);
            using (log) AppendInBatches(log, 1, 100, term);
        }
        var mine = WalSegmentName.List(walDir);
        var theirs = WalSegmentName.List(otherDir);
        mine[1].Name.Should().Be(theirs[1].Name);
        File.Copy(theirs[1].Path, mine[1].Path, overwrite: true);
        var open = () => WriteAheadLog.Open(walDir, options).Log.Dispose();
        open.Should().Throw<WalCorruptedException>().WithMessage("*previous segment*");
    }

    private static Entry[] ExpectedEntries(ulong last) => [.. Entries(1, 5, 1), .. Entries(6, last, 2)];

    /// <summary>A one-segment log whose last record is entry 9; returns the segment bytes.</summary>
    private byte[] WriteTemplate(bool preallocate, out string segmentName, out WalRecordView lastRecord)
    {
        var walDir = _dir.Combine("template-" + preallocate);
        var options = new WalOptions { SegmentSizeBytes = 64 * 1024, Preallocate = preallocate };
        var (log, _) = WriteAheadLog.Open(walDir, options);
        using (log)
        {
            log.SaveMetadata("cluster-a"u8);
            log.Append(new HardState(1, 1, 3), Entries(1, 5, 1));
            log.Append(FinalState, Entries(6, 8, 2));
            log.Append(null, Entries(9, 9, 2));
        }
        var segment = WalSegmentName.List(walDir).Should().ContainSingle().Subject;
        segmentName = segment.Name.FileName;
        var bytes = File.ReadAllBytes(segment.Path);
        lastRecord = RecordOffsets(bytes)[^1];
        lastRecord.Type.Should().Be(WalRecordType.Entry);
        Directory.Delete(walDir, recursive: true);
        return bytes;
    }

    private static List<WalRecordView> RecordOffsets(byte[] segment)
    {
        var records = new List<WalRecordView>();
        var offset = 0;
        while (offset < segment.Length && WalRecordFormat.TryRead(segment, offset, out var record) == WalReadStatus.Ok)
        {
            records.Add(record);
            offset += record.TotalSize;
        }
        return records;
    }

    private (WriteAheadLog Log, WalRecoveryResult Recovery) OpenDamaged(byte[] segment, string segmentName, bool preallocate, CapturingLogger logger)
    {
        var walDir = _dir.Combine("damaged");
        if (Directory.Exists(walDir)) Directory.Delete(walDir, recursive: true);
        Directory.CreateDirectory(walDir);
        File.WriteAllBytes(Path.Combine(walDir, segmentName), segment);
        return WriteAheadLog.Open(walDir, new WalOptions { SegmentSizeBytes = 64 * 1024, Preallocate = preallocate }, logger);
    }

    private void AssertTailRepaired(byte[] damaged, string segmentName, int recordOffset, bool preallocate, string because)
    {
        var logger = new CapturingLogger();
        var (log, recovery) = OpenDamaged(damaged, segmentName, preallocate, logger);
        using (log)
        {
            recovery.Entries.Should().Equal(ExpectedEntries(8), because);
            recovery.HardState.Should().Be(FinalState, because);
            recovery.Metadata.ToArray().Should().Equal("cluster-a"u8.ToArray(), because);
            recovery.TailRepair.Should().NotBeNull(because);
            recovery.TailRepair!.Offset.Should().Be(recordOffset, because);
            recovery.TailRepair.DroppedBytes.Should().Be(damaged.Length - recordOffset, because);
            logger.MessagesWithEvent(4001).Should().ContainSingle(because)
                .Which.Should().Contain(segmentName).And.Contain($"offset {recordOffset}");

            // The repaired log takes the lost index again and keeps it.
            log.Append(null, Entries(9, 9, 3));
        }
        var path = Path.Combine(_dir.Combine("damaged"), segmentName);
        new FileInfo(path).Length.Should().Be(preallocate ? 64 * 1024 : recordOffset + WalRecordFormat.TotalSize(RaftCodec.EncodeEntry(Entry(9, 3)).Length), because);
        var (again, replay) = WriteAheadLog.Open(_dir.Combine("damaged"), new WalOptions { SegmentSizeBytes = 64 * 1024, Preallocate = preallocate });
        using (again)
        {
            replay.TailRepaired.Should().BeFalse(because);
            replay.Entries.Should().Equal([.. ExpectedEntries(8), Entry(9, 3)], because);
        }
    }
}
