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
    public byte[] Encode()
    {
        var buffer = new byte[1 + 8 + 4 + Context.Length];
        buffer[0] = (byte)Type;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(1), NodeId);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(9), Context.Length);
        Context.Span.CopyTo(buffer.AsSpan(13));
        return buffer;
    }

    public static ConfChange Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 13) throw new FormatException("conf change too short");
        var type = (ConfChangeType)data[0];
        if (type > ConfChangeType.UpdateNode) throw new FormatException($"unknown conf change type {data[0]}");
        var id = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(data[1..]);
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(data[9..]);
        if (length < 0 || length > data.Length - 13) throw new FormatException("conf change context length out of range");
        return new ConfChange(type, id, data.Slice(13, length).ToArray());
    }
}
