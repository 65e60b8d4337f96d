using System.Buffers;

namespace KvDirectory.Wire;

/// <summary>
/// A buffer writer that grows by adding chunks below the large-object threshold instead of doubling one array, then
/// copies what was written into one exact-size array. Writing a million-key snapshot (tens of MB) through an
/// <see cref="ArrayBufferWriter{T}"/> left its outgrown arrays and its oversized last one as large-object garbage
/// (about three times the snapshot's size) that server GC kept resident after every snapshot.
/// </summary>
public sealed class ChunkedBufferWriter : IBufferWriter<byte>
{
    /// <summary>Below the 85,000-byte large-object threshold: the chunks are ordinary, compactable garbage.</summary>
    public const int ChunkSize = 64 * 1024;

    private readonly List<(byte[] Chunk, int Length)> _full = [];
    private byte[] _current = [];
    private int _used;
    private long _fullLength;

    public long WrittenCount => _fullLength + _used;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _current.Length - _used)
        {
            throw new InvalidOperationException($"advanced {count} bytes past the {_current.Length - _used} lent");
        }

        _used += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsMemory(_used);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsSpan(_used);
    }

    /// <summary>Everything written, in one array of exactly <see cref="WrittenCount"/> bytes.</summary>
    public byte[] ToArray()
    {
        var result = GC.AllocateUninitializedArray<byte>(checked((int)WrittenCount));
        var offset = 0;
        foreach (var (chunk, length) in _full)
        {
            chunk.AsSpan(0, length).CopyTo(result.AsSpan(offset));
            offset += length;
        }

        _current.AsSpan(0, _used).CopyTo(result.AsSpan(offset));
        return result;
    }

    private void Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_current.Length - _used >= sizeHint)
        {
            return;
        }

        if (_used > 0)
        {
            _full.Add((_current, _used));
            _fullLength += _used;
        }

        // A single value larger than a chunk gets a chunk of its own size.
        _current = new byte[Math.Max(ChunkSize, sizeHint)];
        _used = 0;
    }
}
