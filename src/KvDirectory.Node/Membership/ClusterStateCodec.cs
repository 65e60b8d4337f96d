using System.Buffers;
using System.Buffers.Binary;
using KvDirectory.Protocol.Binary;

namespace KvDirectory.Node.Membership;

/// <summary>
/// The binary form of a member list (cluster id, members, removed ids) — kept in every Raft snapshot next to the
/// store, and sent to a member that joins an existing cluster. The local member id is not part of it: each reader supplies its own.
/// </summary>
public static class ClusterStateCodec
{
    private const byte Version = 1;

    public static byte[] Encode(ClusterState state)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        var head = writer.GetSpan(13);
        head[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(head[1..], state.ClusterId);
        BinaryPrimitives.WriteInt32BigEndian(head[9..], state.Members.Count);
        writer.Advance(13);
        foreach (var member in state.Members)
        {
            BinaryPrimitives.WriteUInt64BigEndian(writer.GetSpan(8), member.Id);
            writer.Advance(8);
            WireStrings.Write(writer, member.Name);
            WireStrings.WriteList(writer, member.PeerUrls);
            WireStrings.WriteList(writer, member.ClientUrls);
        }

        BinaryPrimitives.WriteInt32BigEndian(writer.GetSpan(4), state.RemovedIds.Count);
        writer.Advance(4);
        foreach (var id in state.RemovedIds.Order())
        {
            BinaryPrimitives.WriteUInt64BigEndian(writer.GetSpan(8), id);
            writer.Advance(8);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The bytes are not a member list this version understands.</exception>
    public static ClusterState Decode(ReadOnlySpan<byte> bytes, ulong localMemberId)
    {
        if (bytes.Length < 13 || bytes[0] != Version)
        {
            throw new FormatException("member list is not of a known version");
        }

        var clusterId = BinaryPrimitives.ReadUInt64BigEndian(bytes[1..]);
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes[9..]);
        var rest = bytes[13..];
        var members = new List<ClusterMember>();
        for (var i = 0; i < count; i++)
        {
            var id = ReadId(ref rest);
            var name = WireStrings.Read(ref rest);
            var peerUrls = WireStrings.ReadList(ref rest);
            var clientUrls = WireStrings.ReadList(ref rest);
            members.Add(new ClusterMember(id, name, peerUrls, clientUrls));
        }

        if (rest.Length < 4)
        {
            throw new FormatException("member list is truncated");
        }

        var removedCount = BinaryPrimitives.ReadInt32BigEndian(rest);
        rest = rest[4..];
        var removed = new HashSet<ulong>();
        for (var i = 0; i < removedCount; i++)
        {
            removed.Add(ReadId(ref rest));
        }

        return new ClusterState(clusterId, localMemberId, members) { RemovedIds = removed };
    }

    private static ulong ReadId(ref ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8)
        {
            throw new FormatException("member list is truncated");
        }

        var id = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        bytes = bytes[8..];
        return id;
    }
}
