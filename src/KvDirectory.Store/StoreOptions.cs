namespace KvDirectory.Store;

/// <summary>Tunables of a <see cref="V2Store"/>.</summary>
public sealed class StoreOptions
{
    /// <summary>How many recent events a watch with an old <c>waitIndex</c> can still be served from.</summary>
    public int EventHistoryCapacity { get; init; } = 10_000;

    /// <summary>How many undelivered events a stream watcher may hold before it is dropped as too slow.</summary>
    public int WatcherBufferSize { get; init; } = 100;

    /// <summary>
    /// How many bytes of directory listings are kept rendered while the tree does not change (see <see cref="ListingCache"/>);
    /// 0 keeps none.
    /// </summary>
    public long ListingCacheBytes { get; init; } = 32 * 1024 * 1024;
}
