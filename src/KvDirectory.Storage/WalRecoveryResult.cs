using KvDirectory.Raft;

namespace KvDirectory.Storage;

/// <summary>A torn tail that was cut off while opening the log.</summary>
public sealed record WalTailRepair(string File, long Offset, long DroppedBytes, string Reason);

/// <summary>What the write-ahead log held when it was opened.</summary>
public sealed record WalRecoveryResult(
    HardState HardState,
    IReadOnlyList<Entry> Entries,
    WalSnapshotMarker Snapshot,
    ReadOnlyMemory<byte> Metadata,
    WalTailRepair? TailRepair)
{
    public bool TailRepaired => TailRepair is not null;

    /// <summary>The index the entries continue from: entries start at ReplayedAfter + 1.</summary>
    public ulong ReplayedAfter { get; init; }
}
