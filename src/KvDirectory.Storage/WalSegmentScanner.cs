namespace KvDirectory.Storage;

/// <summary>The valid records of one segment and where its valid data ends.</summary>
internal sealed record WalSegmentScan(ReadOnlyMemory<byte> Data, List<WalRecordView> Records, int ValidEnd, WalTailRepair? Repair, bool ZeroTail);

/// <summary>
/// Splits a segment into records. Damage is forgiven only at the end of the last segment, where a
/// crash during an unsynced write leaves it; anywhere else it is a <see cref="WalCorruptedException"/>.
/// </summary>
internal static class WalSegmentScanner
{
    /// <param name="data">The segment's bytes; kept in the result (records are offsets into them).</param>
    public static WalSegmentScan Scan(string path, ReadOnlyMemory<byte> data, bool isLast)
    {
        var bytes = data.Span;
        var records = new List<WalRecordView>();
        var offset = 0;
        while (offset < data.Length)
        {
            var status = WalRecordFormat.TryRead(bytes, offset, out var record);
            if (status == WalReadStatus.Ok)
            {
                records.Add(record);
                offset += record.TotalSize;
                continue;
            }

            if (status == WalReadStatus.Zeroed && bytes[offset..].IndexOfAnyExcept((byte)0) < 0)
            {
                if (!isLast) throw new WalCorruptedException(path, offset, "zeroed bytes where a sealed segment should end");
                return new WalSegmentScan(data, records, offset, null, ZeroTail: true);
            }

            var reason = status switch
            {
                WalReadStatus.Truncated => "record cut short by the end of the file",
                _ => "record header or checksum mismatch",
            };
            if (!isLast) throw new WalCorruptedException(path, offset, reason + " in a sealed segment");
            var followedBy = FindValidRecordAfter(bytes, offset);
            if (followedBy >= 0)
                throw new WalCorruptedException(path, offset, $"{reason}, followed by a valid record at offset {followedBy}");
            return new WalSegmentScan(data, records, offset, new WalTailRepair(path, offset, data.Length - offset, reason), ZeroTail: false);
        }
        return new WalSegmentScan(data, records, offset, null, ZeroTail: false);
    }

    /// <summary>
    /// Records start on 8-byte boundaries, so a valid record hidden behind a bad one is found by trying
    /// every boundary; the magic and type reject almost every position before a CRC is computed.
    /// </summary>
    private static int FindValidRecordAfter(ReadOnlySpan<byte> data, int badOffset)
    {
        for (var candidate = badOffset + WalRecordFormat.Alignment; candidate < data.Length; candidate += WalRecordFormat.Alignment)
        {
            if (WalRecordFormat.TryRead(data, candidate, out _) == WalReadStatus.Ok) return candidate;
        }
        return -1;
    }
}
