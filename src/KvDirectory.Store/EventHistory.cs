using KvDirectory.Protocol;

namespace KvDirectory.Store;

/// <summary>
/// Ring buffer of the most recent events, kept as <see cref="RecordedEvent"/>s. Every index produces exactly one
/// event, so the buffer always holds a contiguous run of indexes and an index maps to a slot directly. It grows to
/// its capacity as events come (a store that sees few writes does not hold the whole ring). Only the writer appends
/// (under the store's write lock); watches read under the read lock.
/// </summary>
internal sealed class EventHistory
{
    private const int InitialSlots = 64;

    private readonly int _capacity;
    private RecordedEvent[] _ring;
    private int _front;
    private int _count;

    public EventHistory(int capacity, long currentIndex)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _ring = new RecordedEvent[Math.Min(capacity, InitialSlots)];
        CoveredFrom = currentIndex + 1;
    }

    /// <summary>
    /// The smallest index whose event is known: either held here or not yet happened.
    /// A watch from an index below it may have missed events.
    /// </summary>
    public long CoveredFrom { get; private set; }

    /// <summary>The oldest index etcd reports in its "history has been cleared" cause.</summary>
    public long OldestIndex => _count > 0 ? _ring[_front].Index : CoveredFrom;

    public void Add(EtcdEvent e)
    {
        var recorded = RecordedEvent.From(e);
        if (_count == _capacity)
        {
            _ring[_front] = recorded;
            _front = (_front + 1) % _ring.Length;
            CoveredFrom = _ring[_front].Index;
            return;
        }

        if (_count == 0)
        {
            CoveredFrom = recorded.Index;
        }

        if (_count == _ring.Length)
        {
            Grow();
        }

        _ring[(_front + _count) % _ring.Length] = recorded;
        _count++;
    }

    /// <summary>Forgets everything; indexes up to <paramref name="currentIndex"/> are no longer covered.</summary>
    public void Reset(long currentIndex)
    {
        _ring = new RecordedEvent[Math.Min(_capacity, InitialSlots)];
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

        var oldest = _ring[_front].Index;
        var skip = Math.Max(0, sinceIndex - oldest);
        for (var offset = skip; offset < _count; offset++)
        {
            var recorded = _ring[(_front + (int)offset) % _ring.Length];
            if (!recorded.Refresh && Matches(recorded, key, recursive))
            {
                yield return recorded.ToEvent();
            }
        }
    }

    public static long IndexOf(EtcdEvent e) => e.Node!.ModifiedIndex;

    public static bool IsDirectoryRemoval(EtcdEvent e) => e.Node!.Dir && EtcdActions.IsRemoval(e.Action);

    /// <summary>
    /// History matching as etcd's: hidden keys are not filtered here, and the removal of a
    /// directory matches watches on anything inside it.
    /// </summary>
    private static bool Matches(in RecordedEvent e, string key, bool recursive)
    {
        var eventKey = e.Key;
        if (eventKey == key || (recursive && StorePath.IsStrictlyUnder(eventKey, key)))
        {
            return true;
        }

        return e.IsDirectoryRemoval && StorePath.IsStrictlyUnder(key, eventKey);
    }

    /// <summary>Doubles the ring (up to the capacity), its events laid out oldest first.</summary>
    private void Grow()
    {
        var larger = new RecordedEvent[Math.Min(_capacity, _ring.Length * 2)];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _ring[(_front + i) % _ring.Length];
        }

        _ring = larger;
        _front = 0;
    }
}
