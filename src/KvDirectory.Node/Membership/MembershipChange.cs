using System.Buffers;
using KvDirectory.Raft;
using KvDirectory.Wire;

namespace KvDirectory.Node.Membership;

public enum MembershipChangeKind : byte
{
    Add = 1,
    Remove = 2,
    Update = 3,
}

/// <summary>
/// One runtime membership change, carried in the context of a Raft conf change entry so that replaying the log
/// (or receiving it as a new member) rebuilds the member list, not only the Raft configuration.
/// <paramref name="RequestId"/> lets the member that proposed it answer its client when the entry is applied.
/// </summary>
public sealed record MembershipChange(
    MembershipChangeKind Kind,
    ulong MemberId,
    IReadOnlyList<string> PeerUrls,
    string Name = "",
    ulong RequestId = 0)
{
    private const byte Version = 1;
    private const LengthPrefix Short = LengthPrefix.UInt16BigEndian;

    public ConfChange ToConfChange() => new(
        Kind switch
        {
            MembershipChangeKind.Add => ConfChangeType.AddNode,
            MembershipChangeKind.Remove => ConfChangeType.RemoveNode,
            _ => ConfChangeType.UpdateNode,
        },
        MemberId,
        Encode());

    /// <summary>The change a conf change entry carries; null for an entry without one (a bare Raft change).</summary>
    /// <exception cref="WireFormatException">The context is not a change this version understands.</exception>
    public static MembershipChange? FromConfChange(ConfChange change) =>
        change.Context.IsEmpty ? null : Decode(change.Context.Span) with { MemberId = change.NodeId };

    /// <summary><c>u8 version | u8 kind | u64 request id (big-endian) | name | peer URLs</c>, with u16 big-endian lengths and counts.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new WireWriter(buffer);
        writer.Byte(Version);
        writer.Byte((byte)Kind);
        writer.UInt64BigEndian(RequestId);
        writer.String(Name, Short);
        writer.StringList(PeerUrls, Short, Short);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static MembershipChange Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        reader.Version(Version, "membership change");
        var kind = reader.Byte();
        if (kind is < (byte)MembershipChangeKind.Add or > (byte)MembershipChangeKind.Update)
        {
            throw new WireFormatException($"unknown membership change kind {kind}");
        }

        var requestId = reader.UInt64BigEndian();
        var name = reader.String(Short);
        var urls = reader.StringList(Short, Short);
        return new MembershipChange((MembershipChangeKind)kind, 0, urls, name, requestId);
    }
}
