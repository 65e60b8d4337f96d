using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KvDirectory.Protocol.Binary;

/// <summary>Length-prefixed UTF-8 strings and string lists, as the peer protocol and the membership records write them.</summary>
public static class WireStrings
{
    public static void Write(IBufferWriter<byte> writer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var span = writer.GetSpan(2 + length);
        BinaryPrimitives.WriteUInt16BigEndian(span, checked((ushort)length));
        Encoding.UTF8.GetBytes(value, span[2..]);
        writer.Advance(2 + length);
    }

    public static void WriteList(IBufferWriter<byte> writer, IReadOnlyList<string> values)
    {
        BinaryPrimitives.WriteUInt16BigEndian(writer.GetSpan(2), checked((ushort)values.Count));
        writer.Advance(2);
        foreach (var value in values)
        {
            Write(writer, value);
        }
    }

    /// <exception cref="FormatException">The bytes end early.</exception>
    public static string Read(ref ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            throw new FormatException("string length is truncated");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        if (bytes.Length < 2 + length)
        {
            throw new FormatException("string is truncated");
        }

        var value = Encoding.UTF8.GetString(bytes.Slice(2, length));
        bytes = bytes[(2 + length)..];
        return value;
    }

    public static string[] ReadList(ref ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            throw new FormatException("list length is truncated");
        }

        var count = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        bytes = bytes[2..];
        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = Read(ref bytes);
        }

        return values;
    }
}
