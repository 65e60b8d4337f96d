using KvDirectory.Raft;

namespace KvDirectory.Storage;

/// <summary>A complete snapshot in the store: where it sits in the log and what its data must hash to.</summary>
public sealed record SnapshotInfo(SnapshotMetadata Metadata, long Length, uint Checksum, DateTime SavedAtUtc)
{
    public ulong Index => Metadata.Index;

    public ulong Term => Metadata.Term;
}

/// <summary>A verified snapshot opened for reading; dispose it to close its file.</summary>
public sealed class StoredSnapshot(SnapshotInfo info, Stream data) : IDisposable
{
    public SnapshotInfo Info { get; } = info;

    public SnapshotMetadata Metadata => Info.Metadata;

    /// <summary>The application data, read from the file as the caller consumes it.</summary>
    public Stream Data { get; } = data;

    public void Dispose() => Data.Dispose();
}
