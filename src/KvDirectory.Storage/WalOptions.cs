namespace KvDirectory.Storage;

/// <summary>Tuning of the write-ahead log; the defaults follow etcd.</summary>
public sealed record WalOptions
{
    public static WalOptions Default { get; } = new();

    /// <summary>A segment is closed and a new one started once it grows past this size.</summary>
    public long SegmentSizeBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// Extend new segments to <see cref="SegmentSizeBytes"/> up front so appends do not change the file
    /// size (the zeroed tail is recognised on open).
    /// </summary>
    public bool Preallocate { get; init; } = true;

    /// <summary>etcd's --max-wals: released segments are deleted only beyond this many files; 0 keeps all.</summary>
    public int MaxRetainedSegments { get; init; } = 5;

    /// <summary>Where the segments live: the real disk, or in tests a simulated one that can lose power.</summary>
    public FileSystem.IStorageFileSystem FileSystem { get; init; } = KvDirectory.Storage.FileSystem.PhysicalFileSystem.Instance;
}
