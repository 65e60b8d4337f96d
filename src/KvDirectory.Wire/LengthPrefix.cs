namespace KvDirectory.Wire;

/// <summary>How a format writes the length of a byte string, string or list in front of it.</summary>
public enum LengthPrefix : byte
{
    /// <summary>An unsigned LEB128 varint (store commands and snapshots).</summary>
    Varint,

    /// <summary>Two bytes, big-endian (member lists, membership changes, the peer handshake).</summary>
    UInt16BigEndian,

    /// <summary>Four bytes, little-endian, never negative (the Raft codec).</summary>
    Int32LittleEndian,

    /// <summary>Four bytes, big-endian, never negative (member list counts, snapshot headers).</summary>
    Int32BigEndian,
}
