using System.Buffers;
using KvDirectory.Wire;

namespace KvDirectory.Raft;

/// <summary>
/// Binary encoding of the Raft types for the peer transport and the write-ahead log. Little-endian,
/// fixed-width integers, byte strings and counts prefixed with a 32-bit length; a leading version byte on
/// top-level records so the format can evolve. Malformed input raises <see cref="WireFormatException"/>.
/// </summary>
public static class RaftCodec
{
    private const byte FormatVersion = 1;
    private const LengthPrefix Prefix = LengthPrefix.Int32LittleEndian;

    /// <summary>term, index, type, data length: the smallest an entry can be (and how a hostile count is bounded).</summary>
    private const int EntryFixedSize = 8 + 8 + 1 + 4;

    public static byte[] EncodeEntry(in Entry entry)
    {
        var bytes = new byte[EncodedEntrySize(entry)];
        var writer = new WireWriter(bytes);
        WriteEntry(ref writer, entry);
        return bytes;
    }

    /// <summary>The exact size <see cref="WriteEntry"/> writes, so the WAL can frame an entry in place.</summary>
    public static int EncodedEntrySize(in Entry entry) => 1 + EntryFixedSize + entry.Data.Length;

    /// <summary>Writes an entry record (version byte and entry), what <see cref="DecodeEntry"/> reads.</summary>
    public static void WriteEntry(ref WireWriter writer, in Entry entry)
    {
        writer.Byte(FormatVersion);
        WriteEntryFields(ref writer, entry);
    }

    public static Entry DecodeEntry(ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        reader.Version(FormatVersion, "raft entry");
        var entry = ReadEntry(ref reader);
        reader.ExpectEnd();
        return entry;
    }

    /// <summary>The index of an entry record <see cref="WriteEntry"/> wrote, read without decoding (or copying) the rest.</summary>
    public static ulong DecodeEntryIndex(ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        reader.Version(FormatVersion, "raft entry");
        reader.UInt64LittleEndian();
        return reader.UInt64LittleEndian();
    }

    /// <summary>The size of every hard state record.</summary>
    public const int EncodedHardStateSize = 1 + (3 * 8);

    public static byte[] EncodeHardState(in HardState state)
    {
        var bytes = new byte[EncodedHardStateSize];
        var writer = new WireWriter(bytes);
        WriteHardState(ref writer, state);
        return bytes;
    }

    /// <summary>Writes a hard state record (version byte and state), what <see cref="DecodeHardState"/> reads.</summary>
    public static void WriteHardState(ref WireWriter writer, in HardState state)
    {
        writer.Byte(FormatVersion);
        writer.UInt64LittleEndian(state.Term);
        writer.UInt64LittleEndian(state.Vote);
        writer.UInt64LittleEndian(state.Commit);
    }

    public static HardState DecodeHardState(ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        reader.Version(FormatVersion, "raft hard state");
        var state = new HardState(reader.UInt64LittleEndian(), reader.UInt64LittleEndian(), reader.UInt64LittleEndian());
        reader.ExpectEnd();
        return state;
    }

    public static byte[] EncodeConfState(ConfState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Encode(state, 64, static (ref WireWriter writer, ConfState s) =>
        {
            writer.Byte(FormatVersion);
            WriteConfState(ref writer, s);
        });
    }

    public static ConfState DecodeConfState(ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        reader.Version(FormatVersion, "raft conf state");
        var state = ReadConfState(ref reader);
        reader.ExpectEnd();
        return state;
    }

    public static byte[] EncodeSnapshot(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Encode(snapshot, 64 + snapshot.Data.Length, static (ref WireWriter writer, Snapshot s) =>
        {
            writer.Byte(FormatVersion);
            WriteSnapshot(ref writer, s);
        });
    }

    public static Snapshot DecodeSnapshot(ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        reader.Version(FormatVersion, "raft snapshot");
        var snapshot = ReadSnapshot(ref reader);
        reader.ExpectEnd();
        return snapshot;
    }

    /// <summary>Version, type, six ids and indexes, reject flag, hint, context length, entry count, snapshot flag.</summary>
    private const int MessageFixedSize = 1 + 1 + (6 * 8) + 1 + 8 + 4 + 4 + 1;

    /// <summary>Sized exactly first: one array per message, whatever it carries (the peer transport encodes every one).</summary>
    public static byte[] EncodeMessage(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var bytes = new byte[EncodedMessageSize(message)];
        var writer = new WireWriter(bytes);
        WriteMessageFields(ref writer, message);
        return bytes;
    }

    public static void WriteMessage(IBufferWriter<byte> output, Message message)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        var writer = new WireWriter(output);
        WriteMessageFields(ref writer, message);
        writer.Flush();
    }

    /// <summary>The exact size <see cref="WriteMessage"/> writes.</summary>
    public static int EncodedMessageSize(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var size = MessageFixedSize + message.Context.Length;
        var entries = message.Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            size += EntryFixedSize + entries[i].Data.Length;
        }

        if (message.Snapshot is { } snapshot)
        {
            var conf = snapshot.Metadata.ConfState;
            size += 8 + 8 + 4 + (8 * conf.Voters.Count) + 4 + (8 * conf.Learners.Count) + 4 + snapshot.Data.Length;
        }

        return size;
    }

    private static void WriteMessageFields(ref WireWriter writer, Message message)
    {
        writer.Byte(FormatVersion);
        writer.Byte((byte)message.Type);
        writer.UInt64LittleEndian(message.To);
        writer.UInt64LittleEndian(message.From);
        writer.UInt64LittleEndian(message.Term);
        writer.UInt64LittleEndian(message.LogTerm);
        writer.UInt64LittleEndian(message.Index);
        writer.UInt64LittleEndian(message.Commit);
        writer.Bool(message.Reject);
        writer.UInt64LittleEndian(message.RejectHint);
        writer.Chunk(message.Context.Span, Prefix);
        var entries = message.Entries;
        writer.Length(entries.Count, Prefix);
        for (var i = 0; i < entries.Count; i++)
        {
            WriteEntryFields(ref writer, entries[i]);
        }

        writer.Bool(message.Snapshot is not null);
        if (message.Snapshot is { } snapshot)
        {
            WriteSnapshot(ref writer, snapshot);
        }
    }

    public static Message DecodeMessage(ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        reader.Version(FormatVersion, "raft message");
        var type = reader.Byte();
        if (type > (byte)MessageType.MsgPreVoteResp) throw new WireFormatException($"unknown message type {type}");
        var to = reader.UInt64LittleEndian();
        var from = reader.UInt64LittleEndian();
        var term = reader.UInt64LittleEndian();
        var logTerm = reader.UInt64LittleEndian();
        var index = reader.UInt64LittleEndian();
        var commit = reader.UInt64LittleEndian();
        var reject = reader.Bool();
        var hint = reader.UInt64LittleEndian();
        var context = reader.ChunkArray(Prefix);
        var count = reader.Count(Prefix, EntryFixedSize);
        var entries = count == 0 ? [] : new Entry[count];
        for (var i = 0; i < count; i++) entries[i] = ReadEntry(ref reader);
        var snapshot = reader.Bool() ? ReadSnapshot(ref reader) : null;
        reader.ExpectEnd();
        return new Message
        {
            Type = (MessageType)type, To = to, From = from, Term = term, LogTerm = logTerm, Index = index,
            Commit = commit, Reject = reject, RejectHint = hint, Context = context, Entries = entries, Snapshot = snapshot,
        };
    }

    private delegate void Writer<T>(ref WireWriter writer, T value);

    private static byte[] Encode<T>(T value, int sizeHint, Writer<T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        var writer = new WireWriter(buffer);
        write(ref writer, value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEntryFields(ref WireWriter writer, in Entry entry)
    {
        writer.UInt64LittleEndian(entry.Term);
        writer.UInt64LittleEndian(entry.Index);
        writer.Byte((byte)entry.Type);
        writer.Chunk(entry.Data.Span, Prefix);
    }

    private static Entry ReadEntry(ref WireReader reader)
    {
        var term = reader.UInt64LittleEndian();
        var index = reader.UInt64LittleEndian();
        var type = reader.Byte();
        if (type > (byte)EntryType.ConfChange) throw new WireFormatException($"unknown entry type {type}");
        return new Entry(term, index, (EntryType)type, reader.ChunkArray(Prefix));
    }

    private static void WriteConfState(ref WireWriter writer, ConfState state)
    {
        writer.UInt64List(state.Voters, Prefix, bigEndian: false);
        writer.UInt64List(state.Learners, Prefix, bigEndian: false);
    }

    private static ConfState ReadConfState(ref WireReader reader)
    {
        var voters = reader.UInt64List(Prefix, bigEndian: false);
        var learners = reader.UInt64List(Prefix, bigEndian: false);
        try
        {
            return new ConfState(voters, learners);
        }
        catch (ArgumentException error)
        {
            throw new WireFormatException($"invalid conf state: {error.Message}", error);
        }
    }

    private static void WriteSnapshot(ref WireWriter writer, Snapshot snapshot)
    {
        writer.UInt64LittleEndian(snapshot.Metadata.Index);
        writer.UInt64LittleEndian(snapshot.Metadata.Term);
        WriteConfState(ref writer, snapshot.Metadata.ConfState);
        writer.Chunk(snapshot.Data.Span, Prefix);
    }

    private static Snapshot ReadSnapshot(ref WireReader reader)
    {
        var index = reader.UInt64LittleEndian();
        var term = reader.UInt64LittleEndian();
        var conf = ReadConfState(ref reader);
        return new Snapshot(new SnapshotMetadata(index, term, conf), reader.ChunkArray(Prefix));
    }
}
