using System.Buffers;

namespace KvDirectory.Wire;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that grows by chaining segments rented from <see cref="ArrayPool{T}.Shared"/>
/// (returned on dispose), never by copying, and hands what was written out segment by segment or as one exact copy.
/// A doubling array copied a recursive GET's ~2 MB answer about twice over, and a million-key snapshot's tens of MB left
/// about three times its size of outgrown large-object arrays for server GC to keep; a 256-byte ArrayBufferWriter grew
/// several times per small JSON answer, since Utf8JsonWriter asks for room for the worst-case escaping of a string.
/// </summary>
public sealed class SegmentedBufferWriter(int initialCapacity = 256) : IBufferWriter<byte>, IDisposable
{
    /// <summary>Below the large object heap's 85,000 bytes, so a pool miss costs a young allocation, not a full GC's worth.</summary>
    public const int SegmentSize = 64 * 1024;

    /// <summary>The segments filled before <see cref="_current"/>, with how much of each was written; null until one is.</summary>
    private List<(byte[] Array, int Count)>? _filled;
    private byte[] _current = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private int _written;
    private long _filledCount;

    public long WrittenCount => _filledCount + _written;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _current.Length - _written);
        _written += count;
    }

    // Reserve first, then read _current: it may replace it (read before, the array handed out was already back in the pool).
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsSpan(_written);
    }

    /// <summary>Everything written, segment by segment (one write each: the first starts the response).</summary>
    public async ValueTask WriteToAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        for (var i = 0; _filled is not null && i < _filled.Count; i++)
        {
            await stream.WriteAsync(_filled[i].Array.AsMemory(0, _filled[i].Count), cancellationToken);
        }

        await stream.WriteAsync(_current.AsMemory(0, _written), cancellationToken);
    }

    /// <summary>A copy of everything written, in one array of exactly <see cref="WrittenCount"/> bytes.</summary>
    public byte[] ToArray()
    {
        var copy = GC.AllocateUninitializedArray<byte>(checked((int)WrittenCount));
        var at = 0;
        for (var i = 0; _filled is not null && i < _filled.Count; i++)
        {
            var (array, count) = _filled[i];
            array.AsSpan(0, count).CopyTo(copy.AsSpan(at));
            at += count;
        }

        _current.AsSpan(0, _written).CopyTo(copy.AsSpan(at));
        return copy;
    }

    public void Dispose()
    {
        if (_filled is not null)
        {
            foreach (var (array, _) in _filled)
            {
                ArrayPool<byte>.Shared.Return(array);
            }

            _filled = null;
        }

        _filledCount = 0;
        var current = _current;
        _current = [];
        _written = 0;
        if (current.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(current);
        }
    }

    /// <summary>Makes room for at least <paramref name="sizeHint"/> (at least one) more bytes in <see cref="_current"/>.</summary>
    private void Reserve(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (needed <= _current.Length - _written)
        {
            return;
        }

        var next = ArrayPool<byte>.Shared.Rent(Math.Max(needed, SegmentSize));
        if (_written > 0)
        {
            (_filled ??= []).Add((_current, _written));
            _filledCount += _written;
        }
        else
        {
            ArrayPool<byte>.Shared.Return(_current);
        }

        _current = next;
        _written = 0;
    }
}
