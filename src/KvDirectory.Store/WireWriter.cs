using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KvDirectory.Store;

/// <summary>Compact binary encoding shared by the command codec and the snapshot format.</summary>
internal sealed class WireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    private void WriteByte(byte value) => _buffer.GetSpan(1)[0] = value;

    private void Advance(int count) => _buffer.Advance(count);

    public void Byte(byte value)
    {
        WriteByte(value);
        Advance(1);
    }

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void UnsignedVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var written = 0;
        while (value >= 0x80)
        {
            span[written++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[written++] = (byte)value;
        Advance(written);
    }

    /// <summary>Zig-zag, so that small negative numbers stay small too.</summary>
    public void SignedVarint(long value) => UnsignedVarint((ulong)((value << 1) ^ (value >> 63)));

    public void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        UnsignedVarint((ulong)length);
        var span = _buffer.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        Advance(length);
    }

    public void OptionalTime(DateTimeOffset? value)
    {
        Bool(value.HasValue);
        if (value is { } time)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), time.UtcTicks);
            Advance(8);
        }
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
