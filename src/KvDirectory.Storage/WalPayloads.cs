using System.Buffers.Binary;

namespace KvDirectory.Storage;

/// <summary>Payload layouts of the WAL's own record types (entries and hard state use RaftCodec).</summary>
internal static class WalPayloads
{
    private const byte ResetsLogFlag = 1;

    public static byte[] SegmentHeader(ulong sequence, ulong firstIndex, uint previousCrc)
    {
        var buffer = new byte[20];
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(8), firstIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(16), previousCrc);
        return buffer;
    }

    public static (ulong Sequence, ulong FirstIndex, uint PreviousCrc) ReadSegmentHeader(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != 20) throw new FormatException("segment header must be 20 bytes");
        return (BinaryPrimitives.ReadUInt64LittleEndian(payload),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(payload[16..]));
    }

    public static byte[] Marker(ulong index, ulong term, bool resetsLog)
    {
        var buffer = new byte[17];
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, index);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(8), term);
        buffer[16] = resetsLog ? ResetsLogFlag : (byte)0;
        return buffer;
    }

    public static (ulong Index, ulong Term, bool ResetsLog) ReadMarker(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != 17 || payload[16] > ResetsLogFlag) throw new FormatException("snapshot marker must be 17 bytes");
        return (BinaryPrimitives.ReadUInt64LittleEndian(payload), BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]), payload[16] == ResetsLogFlag);
    }
}
