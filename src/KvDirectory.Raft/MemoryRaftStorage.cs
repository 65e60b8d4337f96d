namespace KvDirectory.Raft;

/// <summary>
/// An in-memory <see cref="IRaftStorage"/>: the reference implementation, and the "disk" of the
/// simulator (whatever the driver persisted survives a simulated crash). Thread-safe so a driver may
/// read it while persisting.
/// </summary>
public sealed class MemoryRaftStorage : IRaftStorage
{
    private readonly Lock _gate = new();

    // _entries[0] is a placeholder standing for the snapshot point: its Index and Term are the
    // snapshot's, which keeps Term(FirstIndex-1) answerable after compaction.
    private List<Entry> _entries = [new Entry(0, 0)];
    private HardState _hardState;
    private Snapshot _snapshot = Raft.Snapshot.Empty;
    private ConfState _confState = ConfState.Empty;

    public MemoryRaftStorage()
    {
    }

    /// <summary>A fresh storage for a bootstrapping member of the given initial cluster.</summary>
    public MemoryRaftStorage(ConfState initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _confState = initial;
        _snapshot = new Snapshot(new SnapshotMetadata(0, 0, initial), ReadOnlyMemory<byte>.Empty);
    }

    public (HardState HardState, ConfState ConfState) InitialState()
    {
        lock (_gate) return (_hardState, _confState);
    }

    public void SetHardState(HardState hardState)
    {
        lock (_gate) _hardState = hardState;
    }

    /// <summary>Records the membership that applying committed conf changes produced.</summary>
    public void SetConfState(ConfState confState)
    {
        ArgumentNullException.ThrowIfNull(confState);
        lock (_gate) _confState = confState;
    }

    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, ulong maxBytes)
    {
        lock (_gate)
        {
            var offset = _entries[0].Index;
            if (lo <= offset) throw new LogCompactedException();
            if (hi > LastIndexLocked() + 1) throw new EntryUnavailableException();
            if (lo >= hi) return [];
            var start = (int)(lo - offset);
            var count = (int)(hi - lo);
            var result = new List<Entry>(Math.Min(count, 64));
            ulong size = 0;
            for (var i = 0; i < count; i++)
            {
                var e = _entries[start + i];
                size += (ulong)e.Size;
                if (i > 0 && size > maxBytes) break;
                result.Add(e);
            }
            return result;
        }
    }

    public ulong Term(ulong index)
    {
        lock (_gate)
        {
            var offset = _entries[0].Index;
            if (index < offset) throw new LogCompactedException();
            if (index - offset >= (ulong)_entries.Count) throw new EntryUnavailableException();
            return _entries[(int)(index - offset)].Term;
        }
    }

    public ulong FirstIndex()
    {
        lock (_gate) return _entries[0].Index + 1;
    }

    public ulong LastIndex()
    {
        lock (_gate) return LastIndexLocked();
    }

    public Snapshot Snapshot()
    {
        lock (_gate) return _snapshot;
    }

    /// <summary>Replaces the whole log with the snapshot (a follower installing it, or a restart).</summary>
    public void ApplySnapshot(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            if (snapshot.Metadata.Index <= _snapshot.Metadata.Index && !_snapshot.IsEmpty)
                throw new SnapshotOutOfDateException();
            _snapshot = snapshot;
            _confState = snapshot.Metadata.ConfState;
            _entries = [new Entry(snapshot.Metadata.Term, snapshot.Metadata.Index)];
        }
    }

    /// <summary>
    /// Records a snapshot of the application state as of <paramref name="index"/> (which must be
    /// applied). The log is not compacted; call <see cref="Compact"/> for that.
    /// </summary>
    public Snapshot CreateSnapshot(ulong index, ConfState? confState, ReadOnlyMemory<byte> data)
    {
        lock (_gate)
        {
            if (index <= _snapshot.Metadata.Index) throw new SnapshotOutOfDateException();
            var offset = _entries[0].Index;
            if (index > LastIndexLocked())
                throw new ArgumentOutOfRangeException(nameof(index), index, $"beyond last index {LastIndexLocked()}");
            var cs = confState ?? _confState;
            _confState = cs;
            _snapshot = new Snapshot(new SnapshotMetadata(index, _entries[(int)(index - offset)].Term, cs), data);
            return _snapshot;
        }
    }

    /// <summary>Discards entries up to and including <paramref name="compactIndex"/>.</summary>
    public void Compact(ulong compactIndex)
    {
        lock (_gate)
        {
            var offset = _entries[0].Index;
            if (compactIndex <= offset) throw new LogCompactedException();
            if (compactIndex > LastIndexLocked())
                throw new ArgumentOutOfRangeException(nameof(compactIndex), compactIndex, $"beyond last index {LastIndexLocked()}");
            var i = (int)(compactIndex - offset);
            var placeholder = new Entry(_entries[i].Term, _entries[i].Index);
            // In place: a fresh list grew again by doubling after every compaction, through large-object-heap arrays
            // (40 bytes an entry) that only a full collection reclaims.
            _entries.RemoveRange(0, i);
            _entries[0] = placeholder;
        }
    }

    /// <summary>
    /// Appends entries persisted from a Ready. Entries that overlap the stored log replace it from the
    /// first overlapping index (a new leader may overwrite an uncommitted suffix).
    /// </summary>
    public void Append(IReadOnlyList<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0) return;
        lock (_gate)
        {
            var first = _entries[0].Index + 1;
            var last = entries[0].Index + (ulong)entries.Count - 1;
            if (last < first) return; // everything offered is already compacted away
            var skip = first > entries[0].Index ? (int)(first - entries[0].Index) : 0;
            var offset = entries[skip].Index - _entries[0].Index;
            if ((ulong)_entries.Count > offset)
                _entries.RemoveRange((int)offset, _entries.Count - (int)offset);
            else if ((ulong)_entries.Count < offset)
                throw new InvalidOperationException(
                    $"missing log entry: last index {LastIndexLocked()}, appending at {entries[skip].Index}");
            for (var k = skip; k < entries.Count; k++) _entries.Add(entries[k]);
        }
    }

    private ulong LastIndexLocked() => _entries[0].Index + (ulong)_entries.Count - 1;
}
