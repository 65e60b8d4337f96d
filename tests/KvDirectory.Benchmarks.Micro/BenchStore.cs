using KvDirectory.Store;

namespace KvDirectory.Benchmarks.Micro;

/// <summary>The store the read and write benchmarks share: /bench/k0 … /bench/k9999, each a 100-byte value.</summary>
internal static class BenchStore
{
    public const int Keys = 10_000;

    public static readonly string Value = new('v', 100);

    /// <param name="listingCache">Whether directory reads of the unchanged tree are answered from kept JSON (off: every read renders).</param>
    public static V2Store Create(bool listingCache = false)
    {
        var store = new V2Store(new StoreOptions { ListingCacheBytes = listingCache ? new StoreOptions().ListingCacheBytes : 0 }, TimeProvider.System);
        for (var i = 0; i < Keys; i++)
        {
            store.Set($"/bench/k{i}", false, Value, null, false);
        }

        return store;
    }
}
