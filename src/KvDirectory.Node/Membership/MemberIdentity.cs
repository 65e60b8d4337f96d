using KvDirectory.Wire;

namespace KvDirectory.Node.Membership;

/// <summary>
/// Which member and cluster a data dir belongs to, saved in the WAL at bootstrap and checked at every start,
/// so a data dir is never reused by another member or joined to another cluster by mistake. Two u64, big-endian.
/// </summary>
public readonly record struct MemberIdentity(ulong MemberId, ulong ClusterId)
{
    private const int Size = 16;

    public byte[] Encode()
    {
        var bytes = new byte[Size];
        var writer = new WireWriter(bytes);
        writer.UInt64BigEndian(MemberId);
        writer.UInt64BigEndian(ClusterId);
        return bytes;
    }

    /// <summary>The identity, or null when the bytes are not 16 long (not an identity).</summary>
    public static MemberIdentity? TryDecode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            return null;
        }

        var reader = new WireReader(bytes);
        return new MemberIdentity(reader.UInt64BigEndian(), reader.UInt64BigEndian());
    }
}
