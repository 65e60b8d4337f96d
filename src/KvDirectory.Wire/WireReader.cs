using System.Buffers.Binary;
using System.Text;

namespace KvDirectory.Wire;

/// <summary>
/// Reads a binary format from a span without allocating, except for the strings and arrays it returns. Every way
/// the input can be malformed (too short, a length or count that runs past the end, a varint wider than 64 bits,
/// invalid UTF-8, a bad boolean) ends in <see cref="WireFormatException"/> and nothing else, because the bytes may
/// come from a damaged disk or a hostile peer. Lengths are checked against what is left before anything is allocated.
/// </summary>
public ref struct WireReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;

    public WireReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _bytes.Length - _position;

    public readonly bool AtEnd => _position == _bytes.Length;

    /// <summary>Everything not read yet (not consumed).</summary>
    public readonly ReadOnlySpan<byte> Rest => _bytes[_position..];

    public byte Byte()
    {
        if (_position >= _bytes.Length)
        {
            throw Truncated(1);
        }

        return _bytes[_position++];
    }

    /// <summary>A byte that must be 0 or 1.</summary>
    public bool Bool() => Byte() switch
    {
        0 => false,
        1 => true,
        var other => throw new WireFormatException($"invalid boolean byte {other} at offset {_position - 1}"),
    };

    /// <summary>Reads a version byte and refuses any other than <paramref name="expected"/>.</summary>
    public void Version(byte expected, string what)
    {
        var version = Byte();
        if (version != expected)
        {
            throw new WireFormatException($"{what} has unknown format version {version} (expected {expected})");
        }
    }

    public ushort UInt16BigEndian() => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));

    public ushort UInt16LittleEndian() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

    public int Int32LittleEndian() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

    public int Int32BigEndian() => BinaryPrimitives.ReadInt32BigEndian(Bytes(4));

    public uint UInt32LittleEndian() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

    public uint UInt32BigEndian() => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4));

    public ulong UInt64LittleEndian() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));

    public ulong UInt64BigEndian() => BinaryPrimitives.ReadUInt64BigEndian(Bytes(8));

    public long Int64LittleEndian() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

    public long Int64BigEndian() => BinaryPrimitives.ReadInt64BigEndian(Bytes(8));

    /// <summary>An unsigned LEB128 varint of at most 10 bytes that fits 64 bits.</summary>
    public ulong UnsignedVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte();
            if (shift == 63 && b > 1)
            {
                throw new WireFormatException($"varint overflows 64 bits at offset {_position - 1}");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new WireFormatException($"varint is longer than 10 bytes at offset {_position}");
    }

    /// <summary>A zig-zag varint (see <see cref="WireWriter.SignedVarint"/>).</summary>
    public long SignedVarint()
    {
        var raw = UnsignedVarint();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>The next <paramref name="count"/> bytes, as a slice of the input.</summary>
    public ReadOnlySpan<byte> Bytes(int count)
    {
        if ((uint)count > (uint)(_bytes.Length - _position))
        {
            throw count < 0 ? new WireFormatException($"negative length {count} at offset {_position}") : Truncated(count);
        }

        var slice = _bytes.Slice(_position, count);
        _position += count;
        return slice;
    }

    /// <summary>A length prefix whose bytes must all still be there (so nothing is allocated for a lie).</summary>
    public int Length(LengthPrefix prefix) => Count(prefix, itemSize: 1);

    /// <summary>
    /// A count of items each at least <paramref name="itemSize"/> bytes long: refused when the rest of the input could
    /// not hold that many, so a hostile count never sizes an allocation.
    /// </summary>
    public int Count(LengthPrefix prefix, int itemSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(itemSize, 1);
        var start = _position;
        long value = prefix switch
        {
            LengthPrefix.Varint => UnsignedVarint() is var v && v <= int.MaxValue ? (long)v : -1,
            LengthPrefix.UInt16BigEndian => UInt16BigEndian(),
            LengthPrefix.Int32LittleEndian => Int32LittleEndian(),
            LengthPrefix.Int32BigEndian => Int32BigEndian(),
            _ => throw new ArgumentOutOfRangeException(nameof(prefix)),
        };
        if (value < 0)
        {
            throw new WireFormatException($"length at offset {start} is negative or too large");
        }

        if (value > Remaining / itemSize)
        {
            throw new WireFormatException($"length {value} at offset {start} runs past the end of the input ({Remaining} bytes left)");
        }

        return (int)value;
    }

    /// <summary>A length-prefixed byte string, as a slice of the input.</summary>
    public ReadOnlySpan<byte> Chunk(LengthPrefix prefix) => Bytes(Length(prefix));

    /// <summary>A length-prefixed byte string, copied (an empty one shares one empty array).</summary>
    public byte[] ChunkArray(LengthPrefix prefix) => Chunk(prefix) is { IsEmpty: false } chunk ? chunk.ToArray() : [];

    /// <summary>A length-prefixed string that must be valid UTF-8.</summary>
    public string String(LengthPrefix prefix = LengthPrefix.Varint)
    {
        var start = _position;
        var bytes = Chunk(prefix);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new WireFormatException($"string at offset {start} is not valid UTF-8", ex);
        }
    }

    /// <summary>A counted list of strings (see <see cref="WireWriter.StringList"/>).</summary>
    public string[] StringList(LengthPrefix countPrefix, LengthPrefix itemPrefix)
    {
        var count = Count(countPrefix, MinimumSize(itemPrefix));
        if (count == 0)
        {
            return [];
        }

        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = String(itemPrefix);
        }

        return values;
    }

    /// <summary>A counted list of 64-bit ids.</summary>
    public ulong[] UInt64List(LengthPrefix countPrefix, bool bigEndian)
    {
        var count = Count(countPrefix, sizeof(ulong));
        var values = count == 0 ? [] : new ulong[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = bigEndian ? UInt64BigEndian() : UInt64LittleEndian();
        }

        return values;
    }

    /// <summary>A presence flag, then UTC ticks (little-endian) when present.</summary>
    public DateTimeOffset? OptionalTime()
    {
        if (!Bool())
        {
            return null;
        }

        var ticks = Int64LittleEndian();
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new WireFormatException($"time ticks {ticks} are out of range");
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>Refuses trailing bytes: a record that decodes with bytes to spare was not written by its encoder.</summary>
    public readonly void ExpectEnd()
    {
        if (!AtEnd)
        {
            throw new WireFormatException($"{Remaining} unexpected trailing bytes at offset {_position}");
        }
    }

    internal static int MinimumSize(LengthPrefix prefix) => prefix switch
    {
        LengthPrefix.Varint => 1,
        LengthPrefix.UInt16BigEndian => 2,
        _ => 4,
    };

    private readonly WireFormatException Truncated(int wanted) =>
        new($"input ends early: {wanted} bytes wanted at offset {_position}, {Remaining} left");
}
