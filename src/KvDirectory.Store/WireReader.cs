using System.Buffers.Binary;
using System.Text;

namespace KvDirectory.Store;

/// <summary>
/// Reads what <see cref="WireWriter"/> wrote. Any malformed input ends in <see cref="FormatException"/>
/// and nothing else, because the bytes may come from a damaged log or snapshot.
/// </summary>
internal ref struct WireReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;

    public WireReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _position = 0;
    }

    public readonly bool AtEnd => _position == _bytes.Length;

    public byte Byte()
    {
        if (_position >= _bytes.Length)
        {
            throw Truncated();
        }

        return _bytes[_position++];
    }

    public bool Bool() => Byte() switch
    {
        0 => false,
        1 => true,
        var other => throw new FormatException($"Invalid boolean byte {other} at offset {_position - 1}."),
    };

    public ulong UnsignedVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte();
            if (shift == 63 && b > 1)
            {
                throw new FormatException("Varint overflows 64 bits.");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new FormatException("Varint is longer than 10 bytes.");
    }

    public long SignedVarint()
    {
        var raw = UnsignedVarint();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public int Length()
    {
        var length = UnsignedVarint();
        if (length > (ulong)(_bytes.Length - _position))
        {
            throw new FormatException($"Length {length} runs past the end of the input.");
        }

        return (int)length;
    }

    public string String()
    {
        var length = Length();
        var slice = _bytes.Slice(_position, length);
        _position += length;
        try
        {
            return StrictUtf8.GetString(slice);
        }
        catch (DecoderFallbackException ex)
        {
            throw new FormatException("String is not valid UTF-8.", ex);
        }
    }

    public DateTimeOffset? OptionalTime()
    {
        if (!Bool())
        {
            return null;
        }

        if (_bytes.Length - _position < 8)
        {
            throw Truncated();
        }

        var ticks = BinaryPrimitives.ReadInt64LittleEndian(_bytes.Slice(_position, 8));
        _position += 8;
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new FormatException($"Time ticks {ticks} are out of range.");
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    public readonly void ExpectEnd()
    {
        if (!AtEnd)
        {
            throw new FormatException($"{_bytes.Length - _position} unexpected trailing bytes.");
        }
    }

    private readonly FormatException Truncated() => new($"Input ends early at offset {_position}.");
}
