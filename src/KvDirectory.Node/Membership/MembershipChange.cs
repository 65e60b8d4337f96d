using System.Buffers;
using System.Buffers.Binary;
using KvDirectory.Protocol.Binary;
using KvDirectory.Raft;

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
    /// <exception cref="FormatException">The context is not a change this version understands.</exception>
    public static MembershipChange? FromConfChange(ConfChange change) =>
        change.Context.IsEmpty ? null : Decode(change.Context.Span) with { MemberId = change.NodeId };

    public byte[] Encode()
    {
        var writer = new ArrayBufferWriter<byte>(64);
        var head = writer.GetSpan(10);
        head[0] = Version;
        head[1] = (byte)Kind;
        BinaryPrimitives.WriteUInt64BigEndian(head[2..], RequestId);
        writer.Advance(10);
        WireStrings.Write(writer, Name);
        WireStrings.WriteList(writer, PeerUrls);
        return writer.WrittenSpan.ToArray();
    }

    private static MembershipChange Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 10 || bytes[0] != Version || bytes[1] is < 1 or > 3)
        {
            throw new FormatException("membership change context is not of a known version");
        }

        var requestId = BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]);
        var rest = bytes[10..];
        var name = WireStrings.Read(ref rest);
        var urls = WireStrings.ReadList(ref rest);
        return new MembershipChange((MembershipChangeKind)bytes[1], 0, urls, name, requestId);
    }
}
