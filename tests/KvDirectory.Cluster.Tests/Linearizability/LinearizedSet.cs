namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>
/// The set of known-outcome operations already linearized, as a bitset with an incrementally maintained Zobrist hash,
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
    public SearchState Probe(string? model)
    {
        // Only the frontier varies between states: below it every word is full, above it every word is empty.
        // Keying on that span instead of the whole bitset keeps the memo small for histories of thousands of operations.
        var first = 0;
        while (first < _words.Length && _words[first] == ulong.MaxValue)
        {
            first++;
        }

        var end = _words.Length;
        while (end > first && _words[end - 1] == 0)
        {
            end--;
        }

        return new SearchState(_words, first, first, end - first, Hash, model);
    }
}

/// <summary>
/// A (linearized set, model state) pair: the memo key of the search. The set is stored as its frontier span:
/// words before <c>offset</c> are full, words after the span are empty.
/// </summary>
internal readonly struct SearchState(ulong[] array, int arrayStart, int offset, int length, ulong hash, string? model)
    : IEquatable<SearchState>
{
    private readonly ulong[] _array = array;
    private readonly int _arrayStart = arrayStart;
    private readonly int _offset = offset;
    private readonly int _length = length;
    private readonly ulong _hash = hash;
    private readonly string? _model = model;

    private ReadOnlySpan<ulong> Span => _array.AsSpan(_arrayStart, _length);

    public SearchState Freeze() => new(Span.ToArray(), 0, _offset, _length, _hash, _model);

    public bool Equals(SearchState other) =>
        _hash == other._hash && _offset == other._offset && _length == other._length &&
        string.Equals(_model, other._model, StringComparison.Ordinal) && Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is SearchState other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_hash, _model is null ? 0 : StringComparer.Ordinal.GetHashCode(_model));
}
