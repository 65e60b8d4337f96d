using System.Buffers;
using KvDirectory.Wire;

namespace KvDirectory.Node.Membership;

/// <summary>
/// The binary form of a member list (cluster id, members, removed ids) — kept in every Raft snapshot next to the
/// store, and sent to a member that joins an existing cluster. The local member id is not part of it: each reader supplies its own.
/// <c>u8 version | u64 cluster id | i32 count | (u64 id, name, peer URLs, client URLs)* | i32 count | u64 removed id*</c>, big-endian;
/// names and URL lists prefixed with a u16 length or count, as in the other member records and the peer handshake.
/// </summary>
public static class ClusterStateCodec
{
    private const byte Version = 1;
    private const LengthPrefix Short = LengthPrefix.UInt16BigEndian;

    /// <summary>id, empty name, two empty lists: the least a member takes.</summary>
    private const int MinimumMemberSize = 8 + 2 + 2 + 2;

    public static byte[] Encode(ClusterState state)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new WireWriter(buffer);
        writer.Byte(Version);
        writer.UInt64BigEndian(state.ClusterId);
        writer.Length(state.Members.Count, LengthPrefix.Int32BigEndian);
        foreach (var member in state.Members)
        {
            writer.UInt64BigEndian(member.Id);
            writer.String(member.Name, Short);
            writer.StringList(member.PeerUrls, Short, Short);
            writer.StringList(member.ClientUrls, Short, Short);
        }

        writer.UInt64List([.. state.RemovedIds.Order()], LengthPrefix.Int32BigEndian, bigEndian: true);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="WireFormatException">The bytes are not a member list this version understands.</exception>
    public static ClusterState Decode(ReadOnlySpan<byte> bytes, ulong localMemberId)
    {
        var reader = new WireReader(bytes);
        reader.Version(Version, "member list");
        var clusterId = reader.UInt64BigEndian();
        var count = reader.Count(LengthPrefix.Int32BigEndian, MinimumMemberSize);
        var members = new List<ClusterMember>(count);
        for (var i = 0; i < count; i++)
        {
            var id = reader.UInt64BigEndian();
            var name = reader.String(Short);
            var peerUrls = reader.StringList(Short, Short);
            var clientUrls = reader.StringList(Short, Short);
            members.Add(new ClusterMember(id, name, peerUrls, clientUrls));
        }

        var removed = reader.UInt64List(LengthPrefix.Int32BigEndian, bigEndian: true).ToHashSet();
        return new ClusterState(clusterId, localMemberId, members) { RemovedIds = removed };
    }
}
