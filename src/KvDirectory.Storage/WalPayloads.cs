using KvDirectory.Wire;

namespace KvDirectory.Storage;

/// <summary>Payload layouts of the WAL's own record types (entries and hard state use RaftCodec). Little-endian.</summary>
internal static class WalPayloads
{
    public static byte[] SegmentHeader(ulong sequence, ulong firstIndex, uint previousCrc)
    {
        var buffer = new byte[8 + 8 + 4];
        var writer = new WireWriter(buffer);
        writer.UInt64LittleEndian(sequence);
        writer.UInt64LittleEndian(firstIndex);
        writer.UInt32LittleEndian(previousCrc);
        return buffer;
    }

    /// <exception cref="WireFormatException">Not a segment header.</exception>
    public static (ulong Sequence, ulong FirstIndex, uint PreviousCrc) ReadSegmentHeader(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        var header = (reader.UInt64LittleEndian(), reader.UInt64LittleEndian(), reader.UInt32LittleEndian());
        reader.ExpectEnd();
        return header;
    }

    public static byte[] Marker(ulong index, ulong term, bool resetsLog)
    {
        var buffer = new byte[8 + 8 + 1];
        var writer = new WireWriter(buffer);
        writer.UInt64LittleEndian(index);
        writer.UInt64LittleEndian(term);
        writer.Bool(resetsLog);
        return buffer;
    }

    /// <exception cref="WireFormatException">Not a snapshot marker.</exception>
    public static (ulong Index, ulong Term, bool ResetsLog) ReadMarker(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        var marker = (reader.UInt64LittleEndian(), reader.UInt64LittleEndian(), reader.Bool());
        reader.ExpectEnd();
        return marker;
    }
}
