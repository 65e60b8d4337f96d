using KvDirectory.Protocol;

namespace KvDirectory.Store;

/// <summary>
/// Ring buffer of the most recent events. Every index produces exactly one event, so the
/// buffer always holds a contiguous run of indexes and an index maps to a slot directly.
/// Only the writer appends (under the store's write lock); watches read under the read lock.
/// </summary>
internal sealed class EventHistory
{
    private readonly EtcdEvent[] _ring;
    private int _front;
    private int _count;

    public EventHistory(int capacity, long currentIndex)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new EtcdEvent[capacity];
        CoveredFrom = currentIndex + 1;
    }

    /// <summary>
    /// The smallest index whose event is known: either held here or not yet happened.
    /// A watch from an index below it may have missed events.
    /// </summary>
    public long CoveredFrom { get; private set; }

    /// <summary>The oldest index etcd reports in its "history has been cleared" cause.</summary>
    public long OldestIndex => _count > 0 ? IndexOf(_ring[_front]) : CoveredFrom;

    public void Add(EtcdEvent e)
    {
        if (_count == _ring.Length)
        {
            _ring[_front] = e;
            _front = (_front + 1) % _ring.Length;
            CoveredFrom = IndexOf(_ring[_front]);
            return;
        }

        if (_count == 0)
        {
            CoveredFrom = IndexOf(e);
        }

        _ring[(_front + _count) % _ring.Length] = e;
        _count++;
    }

    /// <summary>Forgets everything; indexes up to <paramref name="currentIndex"/> are no longer covered.</summary>
    public void Reset(long currentIndex)
    {
        Array.Clear(_ring);
        _front = 0;
        _count = 0;
        CoveredFrom = currentIndex + 1;
    }

    /// <summary>Events with index >= <paramref name="sinceIndex"/> that a watch on <paramref name="key"/> should see, oldest first.</summary>
    public IEnumerable<EtcdEvent> Scan(string key, bool recursive, long sinceIndex)
    {
        if (_count == 0)
        {
            yield break;
        }

        var oldest = IndexOf(_ring[_front]);
        var skip = Math.Max(0, sinceIndex - oldest);
        for (var offset = skip; offset < _count; offset++)
        {
            var e = _ring[(_front + (int)offset) % _ring.Length];
            if (!e.Refresh && Matches(e, key, recursive))
            {
                yield return e;
            }
        }
    }

    public static long IndexOf(EtcdEvent e) => e.Node!.ModifiedIndex;

    /// <summary>
    /// History matching as etcd's: hidden keys are not filtered here, and the removal of a
    /// directory matches watches on anything inside it.
    /// </summary>
    private static bool Matches(EtcdEvent e, string key, bool recursive)
    {
        var eventKey = e.Node!.Key!;
        if (eventKey == key || (recursive && StorePath.IsStrictlyUnder(eventKey, key)))
        {
            return true;
        }

        return IsDirectoryRemoval(e) && StorePath.IsStrictlyUnder(key, eventKey);
    }

    public static bool IsDirectoryRemoval(EtcdEvent e) =>
        e.Node!.Dir && e.Action is EtcdActions.Delete or EtcdActions.Expire or EtcdActions.CompareAndDelete;
}
