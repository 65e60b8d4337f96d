namespace KvDirectory.Store;

/// <summary>
/// Directory listings kept as the JSON they were answered with, for as long as the store's index stays where it was.
/// Config loaders, and fleets of them starting together, read the same unchanged tree again and again; rendering a
/// 10,000-key listing is most of what such a GET costs. Any write moves the index, and the next read at the new index
/// empties the cache: a kept listing is only ever served for the very tree it was rendered from. A listing is kept on
/// its second read at the same index, so a tree that changes between reads never pays for a copy, and never when
/// something in it expires (its <c>ttl</c> follows the clock). Thread-safe: readers share the store's read lock.
/// </summary>
internal sealed class ListingCache(long capacityBytes)
{
    /// <summary>How many listings are remembered at one index (rendered once, kept, or not to be kept).</summary>
    private const int MaxListings = 256;

    /// <summary>Marks a listing that is not to be kept at this index: it expires, or it is larger than the cache.</summary>
    private static readonly byte[] NotKept = [];

    private readonly Lock _gate = new();

    /// <summary>Per listing read at <see cref="_index"/>: null once rendered, its JSON once kept, or <see cref="NotKept"/>.</summary>
    private readonly Dictionary<ListingKey, byte[]?> _listings = [];

    private long _index = -1;
    private long _bytes;
    private long _hits;

    /// <summary>Answers served from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Bytes of JSON kept now (until the next read after a write empties the cache).</summary>
    public long KeptBytes => Interlocked.Read(ref _bytes);

    /// <summary>
    /// The JSON kept for <paramref name="key"/> at <paramref name="index"/>, or null: then render it, and when
    /// <paramref name="worthKeeping"/> (its second read at this index) hand the result to <see cref="Keep"/>.
    /// </summary>
    public byte[]? Find(ListingKey key, long index, out bool worthKeeping)
    {
        lock (_gate)
        {
            MoveTo(index);
            worthKeeping = false;
            if (!_listings.TryGetValue(key, out var json))
            {
                if (_listings.Count < MaxListings)
                {
                    _listings[key] = null;
                }

                return null;
            }

            if (json is null)
            {
                worthKeeping = true;
                return null;
            }

            if (ReferenceEquals(json, NotKept))
            {
                return null;
            }

            _hits++;
            return json;
        }
    }

    /// <summary>Keeps a listing rendered at <paramref name="index"/>; null: it expires, so renders go on.</summary>
    public void Keep(ListingKey key, long index, byte[]? json)
    {
        lock (_gate)
        {
            if (index != _index || !_listings.ContainsKey(key))
            {
                return;
            }

            if (json is null || _bytes + json.Length > capacityBytes)
            {
                _listings[key] = NotKept;
                return;
            }

            _listings[key] = json;
            _bytes += json.Length;
        }
    }

    /// <summary>A restore can reach an index the cache has seen through another history: forget everything.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            MoveTo(-1);
        }
    }

    private void MoveTo(long index)
    {
        if (index == _index)
        {
            return;
        }

        _listings.Clear();
        _bytes = 0;
        _index = index;
    }
}

/// <summary>A directory GET as the cache tells them apart (the path is normalised).</summary>
internal readonly record struct ListingKey(string Path, bool Recursive, bool Sorted);
