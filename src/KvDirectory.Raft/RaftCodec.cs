using System.Buffers;
using System.Buffers.Binary;

namespace KvDirectory.Raft;

/// <summary>
/// Binary encoding of the Raft types for the peer transport and the write-ahead log. Little-endian,
/// fixed-width integers, length-prefixed byte strings; a leading version byte on top-level records
/// so the format can evolve.
/// </summary>
public static class RaftCodec
{
    private const byte FormatVersion = 1;

    public static byte[] EncodeEntry(in Entry entry)
    {
        var writer = new ArrayBufferWriter<byte>(32 + entry.Data.Length);
        writer.WriteByte(FormatVersion);
        WriteEntry(writer, entry);
        return writer.WrittenSpan.ToArray();
    }

    public static Entry DecodeEntry(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        reader.ExpectVersion();
        var entry = ReadEntry(ref reader);
        reader.ExpectEnd();
        return entry;
    }

    public static byte[] EncodeHardState(in HardState state)
    {
        var buffer = new byte[25];
        buffer[0] = FormatVersion;
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(1), state.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(9), state.Vote);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(17), state.Commit);
        return buffer;
    }

    public static HardState DecodeHardState(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        reader.ExpectVersion();
        var state = new HardState(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64());
        reader.ExpectEnd();
        return state;
    }

    public static byte[] EncodeConfState(ConfState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var writer = new ArrayBufferWriter<byte>();
        writer.WriteByte(FormatVersion);
        WriteConfState(writer, state);
        return writer.WrittenSpan.ToArray();
    }

    public static ConfState DecodeConfState(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        reader.ExpectVersion();
        var state = ReadConfState(ref reader);
        reader.ExpectEnd();
        return state;
    }

    public static byte[] EncodeSnapshot(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var writer = new ArrayBufferWriter<byte>(64 + snapshot.Data.Length);
        writer.WriteByte(FormatVersion);
        WriteSnapshot(writer, snapshot);
        return writer.WrittenSpan.ToArray();
    }

    public static Snapshot DecodeSnapshot(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        reader.ExpectVersion();
        var snapshot = ReadSnapshot(ref reader);
        reader.ExpectEnd();
        return snapshot;
    }

    public static byte[] EncodeMessage(Message message)
    {
        var writer = new ArrayBufferWriter<byte>(128);
        WriteMessage(writer, message);
        return writer.WrittenSpan.ToArray();
    }

    public static void WriteMessage(IBufferWriter<byte> writer, Message message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        writer.WriteByte(FormatVersion);
        writer.WriteByte((byte)message.Type);
        writer.WriteUInt64(message.To);
        writer.WriteUInt64(message.From);
        writer.WriteUInt64(message.Term);
        writer.WriteUInt64(message.LogTerm);
        writer.WriteUInt64(message.Index);
        writer.WriteUInt64(message.Commit);
        writer.WriteByte(message.Reject ? (byte)1 : (byte)0);
        writer.WriteUInt64(message.RejectHint);
        writer.WriteBytes(message.Context.Span);
        writer.WriteInt32(message.Entries.Count);
        foreach (var entry in message.Entries) WriteEntry(writer, entry);
        if (message.Snapshot is { } snapshot)
        {
            writer.WriteByte(1);
            WriteSnapshot(writer, snapshot);
        }
        else
        {
            writer.WriteByte(0);
        }
    }

    public static Message DecodeMessage(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        reader.ExpectVersion();
        var type = reader.ReadByte();
        if (type > (byte)MessageType.MsgPreVoteResp) throw new FormatException($"unknown message type {type}");
        var to = reader.ReadUInt64();
        var from = reader.ReadUInt64();
        var term = reader.ReadUInt64();
        var logTerm = reader.ReadUInt64();
        var index = reader.ReadUInt64();
        var commit = reader.ReadUInt64();
        var reject = reader.ReadByte() != 0;
        var hint = reader.ReadUInt64();
        var context = reader.ReadBytes();
        var count = reader.ReadInt32();
        if (count < 0 || count > data.Length) throw new FormatException("entry count out of range");
        var entries = count == 0 ? [] : new Entry[count];
        for (var i = 0; i < count; i++) entries[i] = ReadEntry(ref reader);
        var snapshot = reader.ReadByte() != 0 ? ReadSnapshot(ref reader) : null;
        reader.ExpectEnd();
        return new Message
        {
            Type = (MessageType)type, To = to, From = from, Term = term, LogTerm = logTerm, Index = index,
            Commit = commit, Reject = reject, RejectHint = hint, Context = context, Entries = entries, Snapshot = snapshot,
        };
    }

    private static void WriteEntry(IBufferWriter<byte> writer, in Entry entry)
    {
        writer.WriteUInt64(entry.Term);
        writer.WriteUInt64(entry.Index);
        writer.WriteByte((byte)entry.Type);
        writer.WriteBytes(entry.Data.Span);
    }

    private static Entry ReadEntry(ref Reader reader)
    {
        var term = reader.ReadUInt64();
        var index = reader.ReadUInt64();
        var type = reader.ReadByte();
        if (type > (byte)EntryType.ConfChange) throw new FormatException($"unknown entry type {type}");
        return new Entry(term, index, (EntryType)type, reader.ReadBytes());
    }

    private static void WriteConfState(IBufferWriter<byte> writer, ConfState state)
    {
        writer.WriteInt32(state.Voters.Count);
        foreach (var v in state.Voters) writer.WriteUInt64(v);
        writer.WriteInt32(state.Learners.Count);
        foreach (var l in state.Learners) writer.WriteUInt64(l);
    }

    private static ConfState ReadConfState(ref Reader reader)
    {
        var voters = reader.ReadIds();
        var learners = reader.ReadIds();
        return new ConfState(voters, learners);
    }

    private static void WriteSnapshot(IBufferWriter<byte> writer, Snapshot snapshot)
    {
        writer.WriteUInt64(snapshot.Metadata.Index);
        writer.WriteUInt64(snapshot.Metadata.Term);
        WriteConfState(writer, snapshot.Metadata.ConfState);
        writer.WriteBytes(snapshot.Data.Span);
    }

    private static Snapshot ReadSnapshot(ref Reader reader)
    {
        var index = reader.ReadUInt64();
        var term = reader.ReadUInt64();
        var conf = ReadConfState(ref reader);
        return new Snapshot(new SnapshotMetadata(index, term, conf), reader.ReadBytes());
    }

    private static void WriteByte(this IBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    private static void WriteInt32(this IBufferWriter<byte> writer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static void WriteUInt64(this IBufferWriter<byte> writer, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    private static void WriteBytes(this IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        writer.WriteInt32(value.Length);
        writer.Write(value);
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public void ExpectVersion()
        {
            var version = ReadByte();
            if (version != FormatVersion) throw new FormatException($"unsupported raft codec version {version}");
        }

        public readonly void ExpectEnd()
        {
            if (!_rest.IsEmpty) throw new FormatException($"{_rest.Length} trailing bytes");
        }

        public byte ReadByte() => Take(1)[0];

        public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public byte[] ReadBytes()
        {
            var length = ReadInt32();
            if (length < 0) throw new FormatException("negative length");
            return length == 0 ? [] : Take(length).ToArray();
        }

        public ulong[] ReadIds()
        {
            var count = ReadInt32();
            if (count < 0 || count > _rest.Length / 8) throw new FormatException("id count out of range");
            var ids = new ulong[count];
            for (var i = 0; i < count; i++) ids[i] = ReadUInt64();
            return ids;
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > _rest.Length) throw new FormatException("truncated raft record");
            var slice = _rest[..count];
            _rest = _rest[count..];
            return slice;
        }
    }
}
