using System.Buffers.Binary;

namespace KvDirectory.Node.Membership;

/// <summary>
/// Which member and cluster a data dir belongs to, saved in the WAL at bootstrap and checked at every start,
/// so a data dir is never reused by another member or joined to another cluster by mistake.
/// </summary>
public readonly record struct MemberIdentity(ulong MemberId, ulong ClusterId)
{
    public byte[] Encode()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, MemberId);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), ClusterId);
        return bytes;
    }

    public static MemberIdentity? TryDecode(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 16
            ? new MemberIdentity(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]))
            : null;
}
