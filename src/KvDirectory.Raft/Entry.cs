namespace KvDirectory.Raft;

/// <summary>What an entry's payload means to the state machine.</summary>
public enum EntryType : byte
{
    Normal = 0,
    ConfChange = 1,
}

/// <summary>One record of the replicated log.</summary>
public readonly record struct Entry(ulong Term, ulong Index, EntryType Type, ReadOnlyMemory<byte> Data)
{
    public Entry(ulong term, ulong index) : this(term, index, EntryType.Normal, ReadOnlyMemory<byte>.Empty)
    {
    }

    /// <summary>Approximate encoded size, used to bound message and apply batches.</summary>
    public long Size => 24 + Data.Length;

    public bool Equals(Entry other) =>
        Term == other.Term && Index == other.Index && Type == other.Type && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(Term, Index, Type, Data.Length);
}
