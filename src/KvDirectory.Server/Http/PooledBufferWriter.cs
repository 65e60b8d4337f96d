using System.Buffers;

namespace KvDirectory.Server.Http;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>, returned on dispose.
/// For the JSON answers: <see cref="System.Text.Json.Utf8JsonWriter"/> asks for room for the worst-case escaping of
/// every string, so a fresh 256-byte <see cref="ArrayBufferWriter{T}"/> grew (and was thrown away) several times per
/// answer: 4.7 KB allocated for a ~450-byte PUT answer (tests/KvDirectory.Benchmarks.Micro, SerializeEvent).
/// </summary>
internal sealed class PooledBufferWriter(int initialCapacity) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private int _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public int WrittenCount => _written;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    // Reserve first, then read _buffer: in `_buffer.AsMemory(Reserve(n))` the receiver is read before the argument
    // runs, so a growing call handed out the old array, already back in the pool (a 500 on any answer over 4 KB).
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var start = Reserve(sizeHint);
        return _buffer.AsMemory(start);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        var start = Reserve(sizeHint);
        return _buffer.AsSpan(start);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Makes room for at least <paramref name="sizeHint"/> (at least one) more bytes; returns where they start.</summary>
    private int Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            _buffer.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _written;
    }
}
