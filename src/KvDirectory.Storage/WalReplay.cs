using KvDirectory.Raft;

namespace KvDirectory.Storage;

/// <summary>
/// Rebuilds the log state from the records of every segment, in order. Entries are logical: one with
/// index i replaces everything from i on, which is how an uncommitted suffix overwritten by a new
/// leader disappears without rewriting files.
/// </summary>
internal sealed class WalReplay(ulong? replayAfterIndex)
{
    private readonly List<Entry> _entries = [];
    private WalSegmentName? _previous;

    public HardState HardState { get; private set; }

    public WalSnapshotMarker Marker { get; private set; }

    public byte[] Metadata { get; private set; } = [];

    /// <summary>The last index the writer knows of: the last live entry, or a later snapshot marker.</summary>
    public ulong LastIndex { get; private set; }

    /// <summary>CRC of the last valid record read; the next segment's header must name it.</summary>
    public uint LastCrc { get; private set; }

    public void Apply(string path, WalSegmentName name, WalSegmentScan scan)
    {
        var data = scan.Data.Span;
        if (scan.Records.Count == 0 || scan.Records[0].Type != WalRecordType.SegmentHeader)
            throw new WalCorruptedException(path, 0, "segment does not start with a segment header");
        foreach (var record in scan.Records)
        {
            var payload = record.Payload(data);
            try
            {
                switch (record.Type)
                {
                    case WalRecordType.SegmentHeader:
                        CheckHeader(path, name, payload, record.Offset);
                        break;
                    case WalRecordType.Metadata:
                        Metadata = payload.ToArray();
                        break;
                    case WalRecordType.HardState:
                        HardState = RaftCodec.DecodeHardState(payload);
                        break;
                    case WalRecordType.Entry when replayAfterIndex is { } after && RaftCodec.DecodeEntryIndex(payload) is var covered && covered <= after:
                        // A million-key restart reads ~900,000 entries the snapshot already holds: their bodies are never decoded.
                        SkipCoveredEntry(covered);
                        break;
                    case WalRecordType.Entry:
                        AddEntry(RaftCodec.DecodeEntry(payload), path, record.Offset);
                        break;
                    case WalRecordType.SnapshotMarker:
                        var (index, term, resetsLog) = WalPayloads.ReadMarker(payload);
                        ApplyMarker(index, term, resetsLog);
                        break;
                }
            }
            catch (FormatException ex)
            {
                throw new WalCorruptedException(path, record.Offset, $"valid checksum but undecodable {record.Type} record: {ex.Message}");
            }
            LastCrc = record.Crc;
        }
        _previous = name;
    }

    public WalRecoveryResult Finish(WalTailRepair? repair)
    {
        var floor = replayAfterIndex ?? Marker.Index;
        DropThrough(floor);
        if (_entries.Count > 0 && _entries[0].Index > floor + 1)
            throw new WalCorruptedException(
                $"write-ahead log no longer holds the entries after index {floor}: its oldest live entry is {_entries[0].Index}");
        return new WalRecoveryResult(HardState, _entries.ToArray(), Marker, Metadata, repair) { ReplayedAfter = floor };
    }

    private void CheckHeader(string path, WalSegmentName name, ReadOnlySpan<byte> payload, int offset)
    {
        var (sequence, firstIndex, previousCrc) = WalPayloads.ReadSegmentHeader(payload);
        if (sequence != name.Sequence || firstIndex != name.FirstIndex)
            throw new WalCorruptedException(path, offset, $"segment header says {sequence:x16}-{firstIndex:x16}, file name disagrees");
        if (_previous is not null && previousCrc != LastCrc)
            throw new WalCorruptedException(path, offset,
                $"segment header expects the previous segment to end with CRC {previousCrc:x8}, it ends with {LastCrc:x8}");
    }

    private void AddEntry(Entry entry, string path, int offset)
    {
        if (_entries.Count > 0)
        {
            var first = _entries[0].Index;
            var last = _entries[^1].Index;
            if (entry.Index > last + 1)
                throw new WalCorruptedException(path, offset, $"entry {entry.Index} leaves a gap after entry {last}");
            if (entry.Index < first) _entries.Clear();
            else if (entry.Index <= last) _entries.RemoveRange((int)(entry.Index - first), (int)(last - entry.Index + 1));
        }
        _entries.Add(entry);
        LastIndex = entry.Index;
        // Entries already covered by a snapshot are never needed again; dropping them early bounds memory.
        if (replayAfterIndex is { } after && entry.Index <= after) DropThrough(after);
    }

    /// <summary>
    /// What <see cref="AddEntry"/> leaves for an entry at or below the snapshot: the log after it is replaced by it and
    /// then dropped with it, so nothing is left but its index as the last one.
    /// </summary>
    private void SkipCoveredEntry(ulong index)
    {
        _entries.Clear();
        LastIndex = index;
    }

    private void ApplyMarker(ulong index, ulong term, bool resetsLog)
    {
        if (index >= Marker.Index) Marker = new WalSnapshotMarker(index, term);
        if (resetsLog)
        {
            _entries.Clear();
            LastIndex = index;
            return;
        }
        if (index > LastIndex) LastIndex = index;
        if (replayAfterIndex is null) DropThrough(index);
    }

    private void DropThrough(ulong index)
    {
        var count = 0;
        while (count < _entries.Count && _entries[count].Index <= index) count++;
        if (count > 0) _entries.RemoveRange(0, count);
    }
}
