namespace KvDirectory.Storage;

public sealed record SnapshotStoreOptions
{
    public static SnapshotStoreOptions Default { get; } = new();

    /// <summary>etcd's --max-snapshots: how many complete snapshots are kept; 0 keeps all.</summary>
    public int MaxSnapshots { get; init; } = 5;
}
