namespace KvDirectory.Raft;

/// <summary>Where a snapshot sits in the log and the membership at that point.</summary>
public sealed record SnapshotMetadata(ulong Index, ulong Term, ConfState ConfState)
{
    public static SnapshotMetadata Empty { get; } = new(0, 0, ConfState.Empty);
}

/// <summary>The application state as of <see cref="SnapshotMetadata.Index"/>, opaque to Raft.</summary>
public sealed record Snapshot(SnapshotMetadata Metadata, ReadOnlyMemory<byte> Data)
{
    public static Snapshot Empty { get; } = new(SnapshotMetadata.Empty, ReadOnlyMemory<byte>.Empty);

    public bool IsEmpty => Metadata.Index == 0;
}
