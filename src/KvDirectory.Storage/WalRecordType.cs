namespace KvDirectory.Storage;

/// <summary>What a WAL record carries. Values are on disk: never renumber.</summary>
internal enum WalRecordType : byte
{
    /// <summary>First record of every segment: its sequence, first index and the CRC that ended the previous segment.</summary>
    SegmentHeader = 1,

    /// <summary>Opaque cluster identity bytes owned by the server; the latest one wins.</summary>
    Metadata = 2,

    HardState = 3,

    Entry = 4,

    /// <summary>A snapshot was taken (or installed) at (index, term).</summary>
    SnapshotMarker = 5,
}
