namespace KvDirectory.Storage;

public sealed record SnapshotStoreOptions
{
    public static SnapshotStoreOptions Default { get; } = new();

    /// <summary>etcd's --max-snapshots: how many complete snapshots are kept; 0 keeps all.</summary>
    public int MaxSnapshots { get; init; } = 5;

    /// <summary>Where the snapshot files live: the real disk, or in tests a simulated one that can lose power.</summary>
    public FileSystem.IStorageFileSystem FileSystem { get; init; } = KvDirectory.Storage.FileSystem.PhysicalFileSystem.Instance;
}
