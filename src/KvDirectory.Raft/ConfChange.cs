using KvDirectory.Wire;

namespace KvDirectory.Raft;

public enum ConfChangeType : byte
{
    AddNode = 0,
    RemoveNode = 1,
    AddLearnerNode = 2,

    /// <summary>Changes nothing in the Raft configuration; carries an application-level update (e.g. new peer URLs) in its context.</summary>
    UpdateNode = 3,
}

/// <summary>A single membership change; carried in a <see cref="EntryType.ConfChange"/> entry.</summary>
public sealed record ConfChange(ConfChangeType Type, ulong NodeId, ReadOnlyMemory<byte> Context = default)
{
    /// <summary><c>u8 type | u64 node id (little-endian) | i32 context length (little-endian) | context</c>.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[1 + 8 + 4 + Context.Length];
        var writer = new WireWriter(bytes);
        writer.Byte((byte)Type);
        writer.UInt64LittleEndian(NodeId);
        writer.Chunk(Context.Span, LengthPrefix.Int32LittleEndian);
        return bytes;
    }

    /// <exception cref="WireFormatException">Not a conf change.</exception>
    public static ConfChange Decode(ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        var type = reader.Byte();
        if (type > (byte)ConfChangeType.UpdateNode) throw new WireFormatException($"unknown conf change type {type}");
        var id = reader.UInt64LittleEndian();
        var context = reader.ChunkArray(LengthPrefix.Int32LittleEndian);
        return new ConfChange((ConfChangeType)type, id, context);
    }
}
