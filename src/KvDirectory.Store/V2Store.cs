using System.Buffers;
using KvDirectory.Protocol;
using KvDirectory.Wire;

namespace KvDirectory.Store;

/// <summary>
/// The etcd v2 key tree. One applier thread writes (deterministically, from commands);
/// any number of threads read and watch concurrently. Behaviour follows etcd 3.4's v2 store.
/// </summary>
public sealed partial class V2Store
{
    private readonly StoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly StoreCounters _counters = new();
    private readonly ExpirationHeap _expirations = new();
    private readonly EventHistory _history;
    private readonly WatcherHub _watchers = new();
    private bool _watchesEnded;
    private readonly ListingCache _listings;
    private TreeNode _root = TreeNode.NewDir(StorePath.Root, null, 0, null);
    private long _currentIndex;

    public V2Store(StoreOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.EventHistoryCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WatcherBufferSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.ListingCacheBytes);
        _options = options;
        _listings = new ListingCache(options.ListingCacheBytes);
        _timeProvider = timeProvider;
        _history = new EventHistory(options.EventHistoryCapacity, 0);
    }

    public long CurrentIndex => Interlocked.Read(ref _currentIndex);

    public int WatcherCount => _watchers.Count;

    /// <summary>Directory GETs answered from the listing cache.</summary>
    public long ListingCacheHits => _listings.Hits;

    /// <summary>Bytes of directory listings the cache keeps now.</summary>
    public long ListingCacheBytes => _listings.KeptBytes;

    public EtcdEvent Get(string path, bool recursive, bool sorted)
    {
        path = StorePath.Normalize(path);
        _lock.EnterReadLock();
        try
        {
            var node = Lookup(path);
            var e = new EtcdEvent
            {
                Action = EtcdActions.Get,
                Node = NodeRendering.RenderForGet(node, recursive, sorted, Now),
                EtcdIndex = _currentIndex,
            };
            _counters.CountGet(success: true);
            return e;
        }
        catch (EtcdException)
        {
            _counters.CountGet(success: false);
            throw;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// <see cref="Get"/>'s answer written straight into <paramref name="output"/> as the event's JSON (what the server sends
    /// before its newline), without a record per node; or, for a directory read again while the tree is unchanged, its
    /// JSON as kept (<see cref="GetAnswer.KeptJson"/>, and nothing written). Fails, before writing anything, as
    /// <see cref="Get"/> does.
    /// </summary>
    public GetAnswer WriteGet(string path, bool recursive, bool sorted, IBufferWriter<byte> output)
    {
        path = StorePath.Normalize(path);
        _lock.EnterReadLock();
        try
        {
            var node = Lookup(path);
            byte[]? kept = null;
            if (node.IsDir)
            {
                kept = WriteListing(node, new ListingKey(path, recursive, sorted), output);
            }
            else
            {
                NodeJson.WriteGetEvent(output, node, recursive, sorted, Now);
            }

            _counters.CountGet(success: true);
            return new GetAnswer(_currentIndex, kept);
        }
        catch (EtcdException)
        {
            _counters.CountGet(success: false);
            throw;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// A directory's answer: written to <paramref name="output"/>, or returned whole when <see cref="ListingCache"/> keeps
    /// it (found there) or was asked to (rendered now on its second read), so the caller sends it without a copy.
    /// </summary>
    private byte[]? WriteListing(TreeNode dir, ListingKey key, IBufferWriter<byte> output)
    {
        if (_listings.Find(key, _currentIndex, out var worthKeeping) is { } kept)
        {
            return kept;
        }

        if (!worthKeeping)
        {
            NodeJson.WriteGetEvent(output, dir, key.Recursive, key.Sorted, Now);
            return null;
        }

        using var buffer = new SegmentedBufferWriter(SegmentedBufferWriter.SegmentSize);
        var expires = NodeJson.WriteGetEvent(buffer, dir, key.Recursive, key.Sorted, Now);
        var json = buffer.ToArray();
        _listings.Keep(key, _currentIndex, expires ? null : json);
        return json;
    }

    public StoreStatistics GetStatistics() => _counters.Snapshot(_watchers.Count);

    private DateTimeOffset Now => _timeProvider.GetUtcNow();

    /// <summary>
    /// Finds a node, failing as etcd does: 104 naming the file that sits on the path, or 100
    /// naming the first component that does not exist.
    /// </summary>
    private TreeNode Lookup(string cleanPath)
    {
        var node = _root;
        foreach (var component in StorePath.Components(cleanPath))
        {
            if (!node.IsDir)
            {
                throw Error(EtcdErrorCode.NotDir, node.Path);
            }

            if (!node.Children!.TryGetValue(component, out var child))
            {
                throw Error(EtcdErrorCode.KeyNotFound, StorePath.Join(node.Path, component));
            }

            node = child;
        }

        return node;
    }

    private EtcdException Error(int code, string? cause) => new(code, cause, _currentIndex);
}
