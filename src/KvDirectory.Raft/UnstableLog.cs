namespace KvDirectory.Raft;

/// <summary>
/// The tail of the log (and possibly an incoming snapshot) that the driver has not persisted yet.
/// Entries here are authoritative over storage for indexes at or above <see cref="Offset"/>.
/// </summary>
internal sealed class UnstableLog
{
    public UnstableLog(ulong offset) => Offset = offset;

    public Snapshot? Snapshot { get; private set; }

    public List<Entry> Entries { get; private set; } = [];

    /// <summary>The index of <c>Entries[0]</c>.</summary>
    public ulong Offset { get; private set; }

    public ulong? MaybeFirstIndex() => Snapshot is { } s ? s.Metadata.Index + 1 : null;

    public ulong? MaybeLastIndex()
    {
        if (Entries.Count > 0) return Offset + (ulong)Entries.Count - 1;
        return Snapshot?.Metadata.Index;
    }

    public ulong? MaybeTerm(ulong index)
    {
        if (index < Offset)
        {
            if (Snapshot is { } s && s.Metadata.Index == index) return s.Metadata.Term;
            return null;
        }
        var last = MaybeLastIndex();
        if (last is null || index > last) return null;
        return Entries[(int)(index - Offset)].Term;
    }

    /// <summary>The driver persisted entries up to <paramref name="index"/> at <paramref name="term"/>.</summary>
    public void StableTo(ulong index, ulong term)
    {
        var t = MaybeTerm(index);
        // Only drop what was persisted if it was not replaced meanwhile by a newer leader's entries.
        if (t == term && index >= Offset)
        {
            var drop = (int)(index + 1 - Offset);
            Entries = drop >= Entries.Count ? [] : Entries.GetRange(drop, Entries.Count - drop);
            Offset = index + 1;
        }
    }

    public void StableSnapshotTo(ulong index)
    {
        if (Snapshot is { } s && s.Metadata.Index == index) Snapshot = null;
    }

    public void Restore(Snapshot snapshot)
    {
        Offset = snapshot.Metadata.Index + 1;
        Entries = [];
        Snapshot = snapshot;
    }

    public void TruncateAndAppend(IReadOnlyList<Entry> entries)
    {
        var after = entries[0].Index;
        if (after == Offset + (ulong)Entries.Count)
        {
            Entries.AddRange(entries);
        }
        else if (after <= Offset)
        {
            // The whole unstable tail is replaced; storage will be overwritten from 'after' when persisted.
            Offset = after;
            Entries = [.. entries];
        }
        else
        {
            Entries.RemoveRange((int)(after - Offset), Entries.Count - (int)(after - Offset));
            Entries.AddRange(entries);
        }
    }

    public List<Entry> Slice(ulong lo, ulong hi)
    {
        var upper = Offset + (ulong)Entries.Count;
        if (lo > hi || lo < Offset || hi > upper)
            throw new InvalidOperationException($"unstable slice [{lo},{hi}) out of bound [{Offset},{upper}]");
        return Entries.GetRange((int)(lo - Offset), (int)(hi - lo));
    }
}
