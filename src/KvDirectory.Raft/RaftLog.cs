namespace KvDirectory.Raft;

/// <summary>The log as the core sees it: stable storage plus the unstable tail, with commit and apply marks.</summary>
internal sealed class RaftLog
{
    private readonly ulong _maxNextCommittedSize;

    public RaftLog(IRaftStorage storage, ulong maxNextCommittedSize)
    {
        Storage = storage;
        _maxNextCommittedSize = maxNextCommittedSize;
        var first = storage.FirstIndex();
        var last = storage.LastIndex();
        Unstable = new UnstableLog(last + 1);
        Committed = first - 1;
        Applied = first - 1;
    }

    public IRaftStorage Storage { get; }

    public UnstableLog Unstable { get; }

    /// <summary>The highest index known to be on a quorum of stable storages.</summary>
    public ulong Committed { get; set; }

    /// <summary>The highest index the application has applied.</summary>
    public ulong Applied { get; private set; }

    public ulong FirstIndex() => Unstable.MaybeFirstIndex() ?? Storage.FirstIndex();

    public ulong LastIndex() => Unstable.MaybeLastIndex() ?? Storage.LastIndex();

    public ulong LastTerm() => TermOrZero(LastIndex());

    /// <summary>The term of <paramref name="index"/>, or null when it is compacted or not yet in the log.</summary>
    public ulong? MaybeTerm(ulong index)
    {
        var dummy = FirstIndex() - 1;
        if (index < dummy || index > LastIndex()) return null;
        if (Unstable.MaybeTerm(index) is { } t) return t;
        try
        {
            return Storage.Term(index);
        }
        catch (RaftStorageException)
        {
            return null;
        }
    }

    public ulong TermOrZero(ulong index) => MaybeTerm(index) ?? 0;

    public bool MatchTerm(ulong index, ulong term) => MaybeTerm(index) == term;

    /// <summary>
    /// Appends a leader's entries following (index, logTerm) if the log matches there; returns the new
    /// last index of the appended run, or null on mismatch.
    /// </summary>
    public ulong? MaybeAppend(ulong index, ulong logTerm, ulong committed, IReadOnlyList<Entry> entries)
    {
        if (!MatchTerm(index, logTerm)) return null;
        var lastNew = index + (ulong)entries.Count;
        var conflict = FindConflict(entries);
        if (conflict != 0)
        {
            if (conflict <= Committed)
                throw new InvalidOperationException($"entry {conflict} conflicts with committed entry [committed({Committed})]");
            var start = (int)(conflict - (index + 1));
            Append(start == 0 ? entries : entries.Skip(start).ToList());
        }
        CommitTo(Math.Min(committed, lastNew));
        return lastNew;
    }

    public ulong Append(IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0) return LastIndex();
        var after = entries[0].Index - 1;
        if (after < Committed)
            throw new InvalidOperationException($"after({after}) is out of range [committed({Committed})]");
        Unstable.TruncateAndAppend(entries);
        return LastIndex();
    }

    /// <summary>The first index whose term differs from the given entries', or 0 if they all match.</summary>
    private ulong FindConflict(IReadOnlyList<Entry> entries)
    {
        foreach (var e in entries)
        {
            if (!MatchTerm(e.Index, e.Term)) return e.Index;
        }
        return 0;
    }

    /// <summary>
    /// The largest index at or below <paramref name="index"/> whose term is at most <paramref name="term"/>,
    /// with that term; used to skip a whole mismatching term in one round trip.
    /// </summary>
    public (ulong Index, ulong Term) FindConflictByTerm(ulong index, ulong term)
    {
        while (true)
        {
            var t = MaybeTerm(index);
            if (t is null) return (index, 0);
            if (t <= term) return (index, t.Value);
            if (index == 0) return (0, 0);
            index--;
        }
    }

    public IReadOnlyList<Entry> UnstableEntries() => Unstable.Entries.Count == 0 ? [] : Unstable.Entries.ToArray();

    public bool HasNextCommittedEntries() => Committed > Math.Max(Applied, FirstIndex() - 1);

    public IReadOnlyList<Entry> NextCommittedEntries()
    {
        var lo = Math.Max(Applied + 1, FirstIndex());
        if (Committed + 1 <= lo) return [];
        return Slice(lo, Committed + 1, _maxNextCommittedSize);
    }

    public bool HasPendingSnapshot() => Unstable.Snapshot is { IsEmpty: false };

    public Snapshot Snapshot() => Unstable.Snapshot ?? Storage.Snapshot();

    public IReadOnlyList<Entry> Entries(ulong from, ulong maxSize)
    {
        if (from > LastIndex()) return [];
        return Slice(from, LastIndex() + 1, maxSize);
    }

    /// <summary>Entries in [lo, hi), bounded by size. Throws <see cref="LogCompactedException"/> below the first index.</summary>
    public IReadOnlyList<Entry> Slice(ulong lo, ulong hi, ulong maxSize)
    {
        if (lo < FirstIndex()) throw new LogCompactedException();
        if (hi > LastIndex() + 1)
            throw new InvalidOperationException($"slice [{lo},{hi}) out of bound [{FirstIndex()},{LastIndex()}]");
        if (lo == hi) return [];
        var result = new List<Entry>();
        if (lo < Unstable.Offset)
        {
            var stored = Storage.Entries(lo, Math.Min(hi, Unstable.Offset), maxSize);
            result.AddRange(stored);
            // Storage stopped early because of the size bound: do not look past it.
            if ((ulong)stored.Count < Math.Min(hi, Unstable.Offset) - lo) return result;
        }
        if (hi > Unstable.Offset)
        {
            result.AddRange(Unstable.Slice(Math.Max(lo, Unstable.Offset), hi));
        }
        return LimitSize(result, maxSize);
    }

    private static List<Entry> LimitSize(List<Entry> entries, ulong maxSize)
    {
        if (entries.Count == 0) return entries;
        ulong size = (ulong)entries[0].Size;
        var limit = 1;
        for (; limit < entries.Count; limit++)
        {
            size += (ulong)entries[limit].Size;
            if (size > maxSize) break;
        }
        if (limit < entries.Count) entries.RemoveRange(limit, entries.Count - limit);
        return entries;
    }

    public bool IsUpToDate(ulong lastIndex, ulong term) =>
        term > LastTerm() || (term == LastTerm() && lastIndex >= LastIndex());

    public void CommitTo(ulong commit)
    {
        if (Committed >= commit) return;
        if (LastIndex() < commit)
            throw new InvalidOperationException($"tocommit({commit}) is out of range [lastIndex({LastIndex()})]");
        Committed = commit;
    }

    /// <summary>Commits up to <paramref name="maxIndex"/> only if that entry is from <paramref name="term"/> (§5.4.2).</summary>
    public bool MaybeCommit(ulong maxIndex, ulong term)
    {
        if (maxIndex > Committed && TermOrZero(maxIndex) == term)
        {
            CommitTo(maxIndex);
            return true;
        }
        return false;
    }

    public void AppliedTo(ulong index)
    {
        if (index == 0) return;
        if (Committed < index || index < Applied)
            throw new InvalidOperationException($"applied({index}) is out of range [prevApplied({Applied}), committed({Committed})]");
        Applied = index;
    }

    public void Restore(Snapshot snapshot)
    {
        Committed = snapshot.Metadata.Index;
        Unstable.Restore(snapshot);
    }

    /// <summary>Called at construction when the application already applied entries before a restart.</summary>
    public void InitApplied(ulong applied) => Applied = applied;
}
