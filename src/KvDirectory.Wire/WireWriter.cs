using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace KvDirectory.Wire;

/// <summary>
/// Writes a binary format into an <see cref="IBufferWriter{T}"/> (or a span known to be large enough) without
/// allocating: it fills the span the buffer writer lends and hands the bytes over on <see cref="Flush"/>, which the
/// caller must call once at the end. The mirror of <see cref="WireReader"/>.
/// </summary>
public ref struct WireWriter
{
    private const int MinimumChunk = 256;

    private readonly IBufferWriter<byte>? _output;
    private Span<byte> _span;
    private int _buffered;
    private long _flushed;

    public WireWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _span = default;
    }

    /// <summary>Writes into <paramref name="destination"/> only: running out of room is a bug in the caller's size.</summary>
    public WireWriter(Span<byte> destination)
    {
        _output = null;
        _span = destination;
    }

    /// <summary>Bytes written so far, flushed or not.</summary>
    public readonly long Written => _flushed + _buffered;

    public void Byte(byte value) => Reserve(1)[0] = value;

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void UInt16BigEndian(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    public void UInt16LittleEndian(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    public void Int32LittleEndian(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    public void Int32BigEndian(int value) => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);

    public void UInt32LittleEndian(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void UInt32BigEndian(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    public void UInt64LittleEndian(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    public void UInt64BigEndian(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Reserve(8), value);

    public void Int64LittleEndian(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    public void Int64BigEndian(long value) => BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);

    /// <summary>Unsigned LEB128: seven bits a byte, low bits first, high bit set on all but the last byte.</summary>
    public void UnsignedVarint(ulong value)
    {
        var span = Reserve(VarintSize(value));
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i] = (byte)value;
    }

    /// <summary>Zig-zag, so that small negative numbers stay small too.</summary>
    public void SignedVarint(long value) => UnsignedVarint((ulong)((value << 1) ^ (value >> 63)));

    public void Bytes(scoped ReadOnlySpan<byte> value) => value.CopyTo(Reserve(value.Length));

    /// <summary>Writes a length or count in the given prefix form.</summary>
    public void Length(int value, LengthPrefix prefix)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        switch (prefix)
        {
            case LengthPrefix.Varint:
                UnsignedVarint((ulong)value);
                break;
            case LengthPrefix.UInt16BigEndian:
                UInt16BigEndian(checked((ushort)value));
                break;
            case LengthPrefix.Int32LittleEndian:
                Int32LittleEndian(value);
                break;
            case LengthPrefix.Int32BigEndian:
                Int32BigEndian(value);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(prefix));
        }
    }

    public void Chunk(scoped ReadOnlySpan<byte> value, LengthPrefix prefix)
    {
        Length(value.Length, prefix);
        Bytes(value);
    }

    /// <summary>A length-prefixed UTF-8 string (lone surrogates become U+FFFD, as <see cref="Encoding.UTF8"/> does).</summary>
    public void String(string value, LengthPrefix prefix = LengthPrefix.Varint) => String(value.AsSpan(), prefix);

    /// <summary>As <see cref="String(string, LengthPrefix)"/>, for a slice of a longer string (no copy of it is made).</summary>
    public void String(scoped ReadOnlySpan<char> value, LengthPrefix prefix = LengthPrefix.Varint)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Length(length, prefix);
        Encoding.UTF8.GetBytes(value, Reserve(length));
    }

    public void StringList(IReadOnlyList<string> values, LengthPrefix countPrefix, LengthPrefix itemPrefix)
    {
        Length(values.Count, countPrefix);
        foreach (var value in values)
        {
            String(value, itemPrefix);
        }
    }

    public void UInt64List(IReadOnlyList<ulong> values, LengthPrefix countPrefix, bool bigEndian)
    {
        Length(values.Count, countPrefix);
        foreach (var value in values)
        {
            if (bigEndian)
            {
                UInt64BigEndian(value);
            }
            else
            {
                UInt64LittleEndian(value);
            }
        }
    }

    /// <summary>A presence flag, then the UTC ticks (little-endian) when present.</summary>
    public void OptionalTime(DateTimeOffset? value)
    {
        Bool(value.HasValue);
        if (value is { } time)
        {
            Int64LittleEndian(time.UtcTicks);
        }
    }

    /// <summary>Hands the buffered bytes to the buffer writer. Call once when done; writing may go on afterwards.</summary>
    public void Flush()
    {
        if (_output is null || _buffered == 0)
        {
            return;
        }

        _output.Advance(_buffered);
        _flushed += _buffered;
        _buffered = 0;
        _span = default;
    }

    public static int VarintSize(ulong value) => (BitOperations.Log2(value | 1) / 7) + 1;

    /// <summary>The byte count of a length-prefixed string, for formats that size a buffer before writing.</summary>
    public static int StringSize(string value, LengthPrefix prefix = LengthPrefix.Varint)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        return length + (prefix == LengthPrefix.Varint ? VarintSize((ulong)length) : WireReader.MinimumSize(prefix));
    }

    private Span<byte> Reserve(int count)
    {
        if (_span.Length - _buffered < count)
        {
            Grow(count);
        }

        var slice = _span.Slice(_buffered, count);
        _buffered += count;
        return slice;
    }

    private void Grow(int count)
    {
        if (_output is null)
        {
            throw new InvalidOperationException($"the destination span is too small: {count} more bytes wanted after {_buffered}");
        }

        Flush();
        _span = _output.GetSpan(Math.Max(count, MinimumChunk));
    }
}
