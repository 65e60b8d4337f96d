using System.Buffers.Binary;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// Reads the framing of a WAL segment as src/KvDirectory.Storage/WalRecordFormat.cs defines it
/// (<c>u32 length | u8 type | u8 padding | u16 magic 0x4B57 | u32 CRC | payload | zeros to 8 bytes</c>),
/// independently of the product code, so the tests find record boundaries the way an operator would.
/// </summary>
public static class WalFile
{
    private const int HeaderSize = 12;
    private const ushort Magic = 0x4B57;

    /// <summary>The records from the start of the file up to the first zeroed or unframed header (the preallocated tail).</summary>
    public static List<WalRecordLocation> ReadRecords(byte[] data)
    {
        var records = new List<WalRecordLocation>();
        var offset = 0;
        while (offset + HeaderSize <= data.Length)
        {
            var header = data.AsSpan(offset, HeaderSize);
            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (BinaryPrimitives.ReadUInt16LittleEndian(header[6..]) != Magic || length < 0)
            {
                break;
            }

            var total = HeaderSize + length + header[5];
            if (offset + total > data.Length)
            {
                break;
            }

            records.Add(new WalRecordLocation(offset, header[4], length, total));
            offset += total;
        }

        return records;
    }

    /// <summary>Cuts the file at <paramref name="length"/>, as a crash in the middle of an unsynced append can.</summary>
    public static void Truncate(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength(length);
    }

    /// <summary>Overwrites a range with zeros, as a lost write inside a preallocated file looks after a crash.</summary>
    public static void Zero(string path, long offset, long count)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        file.Write(new byte[count]);
    }

    public static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0x5A));
    }
}
