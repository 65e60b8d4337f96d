namespace KvDirectory.Storage;

/// <summary>Options of <see cref="DurableRaftStorage"/>: where the files go and how many are kept.</summary>
public sealed record DurableStorageOptions
{
    public static DurableStorageOptions Default { get; } = new();

    public WalOptions Wal { get; init; } = WalOptions.Default;

    public SnapshotStoreOptions Snapshots { get; init; } = SnapshotStoreOptions.Default;

    /// <summary>The one disk under the log and the snapshot store (it overrides theirs): the real one, or in tests a simulated one.</summary>
    public FileSystem.IStorageFileSystem FileSystem { get; init; } = KvDirectory.Storage.FileSystem.PhysicalFileSystem.Instance;

    /// <summary>The WAL directory under the data directory (etcd's layout).</summary>
    public static string WalDirectory(string dataDirectory) => Path.Combine(dataDirectory, "member", "wal");

    /// <summary>The snapshot directory under the data directory (etcd's layout).</summary>
    public static string SnapshotDirectory(string dataDirectory) => Path.Combine(dataDirectory, "member", "snap");
}
