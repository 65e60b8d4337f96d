namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>
/// The set of operations already linearized, as a bitset with an incrementally maintained Zobrist hash,
/// so the memo lookup costs O(1) to hash instead of O(n / 64) per step.
/// </summary>
internal sealed class LinearizedSet
{
    private readonly ulong[] _words;
    private readonly ulong[] _zobrist;

    public LinearizedSet(int count, int seed)
    {
        _words = new ulong[(count + 63) / 64];
        _zobrist = new ulong[count];
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            _zobrist[i] = (ulong)random.NextInt64() ^ ((ulong)random.NextInt64() << 1);
        }
    }

    public ulong Hash { get; private set; }

    public void Add(int id)
    {
        _words[id >> 6] |= 1UL << (id & 63);
        Hash ^= _zobrist[id];
    }

    public void Remove(int id)
    {
        _words[id >> 6] &= ~(1UL << (id & 63));
        Hash ^= _zobrist[id];
    }

    /// <summary>A probe that refers to the live bits: look up with it, but store only <see cref="SearchState.Freeze"/>d copies.</summary>
    public SearchState Probe(string? model) => new(_words, Hash, model);
}

/// <summary>A (linearized set, model state) pair: the memo key of the search.</summary>
internal readonly struct SearchState(ulong[] words, ulong hash, string? model) : IEquatable<SearchState>
{
    private readonly ulong[] _words = words;
    private readonly ulong _hash = hash;
    private readonly string? _model = model;

    public SearchState Freeze() => new((ulong[])_words.Clone(), _hash, _model);

    public bool Equals(SearchState other) =>
        _hash == other._hash && string.Equals(_model, other._model, StringComparison.Ordinal) &&
        _words.AsSpan().SequenceEqual(other._words);

    public override bool Equals(object? obj) => obj is SearchState other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_hash, _model is null ? 0 : StringComparer.Ordinal.GetHashCode(_model));
}
