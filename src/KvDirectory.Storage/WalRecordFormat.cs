using System.Buffers;
using KvDirectory.Raft;
using KvDirectory.Wire;

namespace KvDirectory.Storage;

/// <summary>
/// Framing of one WAL record, aligned to 8 bytes:
/// <c>u32 payload length | u8 type | u8 padding | u16 magic | u32 CRC-32C | payload | zero padding</c>.
/// The CRC covers the first 8 header bytes and the payload, so a damaged length or type is caught
/// too. The magic, the fixed padding and the alignment let a scan past a bad record find any valid
/// record that follows, which is how a torn tail is told apart from damage in the middle.
/// </summary>
internal static class WalRecordFormat
{
    public const int HeaderSize = 12;
    public const int Alignment = 8;
    public const ushort Magic = 0x4B57; // "WK"

    /// <summary>No record is larger; a bigger length is damage, not data.</summary>
    public const int MaxPayloadSize = 512 * 1024 * 1024;

    public static int PaddingFor(int payloadLength) => (Alignment - ((HeaderSize + payloadLength) % Alignment)) % Alignment;

    public static int TotalSize(int payloadLength) => HeaderSize + payloadLength + PaddingFor(payloadLength);

    /// <summary>Appends one framed record to <paramref name="writer"/> and returns its CRC.</summary>
    public static uint Write(IBufferWriter<byte> writer, WalRecordType type, ReadOnlySpan<byte> payload)
    {
        var record = Begin(writer, payload.Length);
        payload.CopyTo(record[HeaderSize..]);
        return Finish(writer, record, type, payload.Length);
    }

    /// <summary>Appends an entry record, encoding the entry straight into the record (no intermediate array).</summary>
    public static uint WriteEntry(IBufferWriter<byte> writer, in Entry entry)
    {
        var length = RaftCodec.EncodedEntrySize(entry);
        var record = Begin(writer, length);
        var payload = new WireWriter(record.Slice(HeaderSize, length));
        RaftCodec.WriteEntry(ref payload, entry);
        return Finish(writer, record, WalRecordType.Entry, length);
    }

    /// <summary>Appends a hard state record, encoded in place.</summary>
    public static uint WriteHardState(IBufferWriter<byte> writer, in HardState state)
    {
        const int length = RaftCodec.EncodedHardStateSize;
        var record = Begin(writer, length);
        var payload = new WireWriter(record.Slice(HeaderSize, length));
        RaftCodec.WriteHardState(ref payload, state);
        return Finish(writer, record, WalRecordType.HardState, length);
    }

    /// <summary>The whole record's span; the caller puts the payload after the header, then calls <see cref="Finish"/>.</summary>
    private static Span<byte> Begin(IBufferWriter<byte> writer, int payloadLength)
    {
        var total = TotalSize(payloadLength);
        return writer.GetSpan(total)[..total];
    }

    private static uint Finish(IBufferWriter<byte> writer, Span<byte> record, WalRecordType type, int payloadLength)
    {
        var padding = PaddingFor(payloadLength);
        var header = new WireWriter(record);
        header.Int32LittleEndian(payloadLength);
        header.Byte((byte)type);
        header.Byte((byte)padding);
        header.UInt16LittleEndian(Magic);
        record[(HeaderSize + payloadLength)..].Clear();
        var crc = Crc32C.Append(Crc32C.Compute(record[..8]), record.Slice(HeaderSize, payloadLength));
        header.UInt32LittleEndian(crc);
        writer.Advance(record.Length);
        return crc;
    }

    /// <summary>Reads the record starting at <paramref name="offset"/> of <paramref name="data"/>.</summary>
    public static WalReadStatus TryRead(ReadOnlySpan<byte> data, int offset, out WalRecordView record)
    {
        record = default;
        var rest = data[offset..];
        if (rest.Length < HeaderSize)
            return rest.IndexOfAnyExcept((byte)0) < 0 ? WalReadStatus.Zeroed : WalReadStatus.Truncated;
        var header = rest[..HeaderSize];
        if (header.IndexOfAnyExcept((byte)0) < 0) return WalReadStatus.Zeroed;
        var fields = new WireReader(header);
        var length = fields.Int32LittleEndian();
        var type = fields.Byte();
        var padding = fields.Byte();
        if (fields.UInt16LittleEndian() != Magic) return WalReadStatus.Invalid;
        if (type is < (byte)WalRecordType.SegmentHeader or > (byte)WalRecordType.SnapshotMarker) return WalReadStatus.Invalid;
        if (length < 0 || length > MaxPayloadSize || padding != PaddingFor(length)) return WalReadStatus.Invalid;
        var total = HeaderSize + length + padding;
        if (total > rest.Length) return WalReadStatus.Truncated;
        var payload = rest.Slice(HeaderSize, length);
        var stored = fields.UInt32LittleEndian();
        if (Crc32C.Append(Crc32C.Compute(header[..8]), payload) != stored) return WalReadStatus.Invalid;
        if (rest.Slice(HeaderSize + length, padding).IndexOfAnyExcept((byte)0) >= 0) return WalReadStatus.Invalid;
        record = new WalRecordView((WalRecordType)type, offset, HeaderSize, length, total, stored);
        return WalReadStatus.Ok;
    }
}

internal enum WalReadStatus
{
    Ok,

    /// <summary>The data ends inside the record.</summary>
    Truncated,

    /// <summary>Bad magic, type, length, padding or CRC.</summary>
    Invalid,

    /// <summary>Nothing but zeros from here (preallocated space, or a size extended without data).</summary>
    Zeroed,
}

/// <summary>Where a valid record sits in a segment buffer.</summary>
internal readonly record struct WalRecordView(WalRecordType Type, int Offset, int PayloadOffset, int PayloadLength, int TotalSize, uint Crc)
{
    public ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> segment) => segment.Slice(Offset + PayloadOffset, PayloadLength);
}
