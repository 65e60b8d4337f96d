using System.Buffers;
using KvDirectory.Wire;

namespace KvDirectory.Node.Membership;

/// <summary>
/// What a member publishes about itself through the log once it starts (and again when they change), as etcd does:
/// its name and client URLs. Every member applies the same entry, so every member lists the same attributes, whether
/// or not it ever connected to the member that published them.
/// </summary>
public sealed record MemberAttributes(ulong MemberId, string Name, IReadOnlyList<string> ClientUrls)
{
    private const byte Version = 1;
    private const LengthPrefix Short = LengthPrefix.UInt16BigEndian;

    /// <summary><c>u8 version | u64 member id (big-endian) | name | client URLs</c>, with u16 big-endian lengths and counts.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new WireWriter(buffer);
        Write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public void Write(ref WireWriter writer)
    {
        writer.Byte(Version);
        writer.UInt64BigEndian(MemberId);
        writer.String(Name, Short);
        writer.StringList(ClientUrls, Short, Short);
    }

    /// <exception cref="WireFormatException">Not attributes of a version this member understands.</exception>
    public static MemberAttributes Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        reader.Version(Version, "member attributes");
        var memberId = reader.UInt64BigEndian();
        var name = reader.String(Short);
        var clientUrls = reader.StringList(Short, Short);
        return new MemberAttributes(memberId, name, clientUrls);
    }

    /// <summary>Whether <paramref name="member"/> already shows these attributes.</summary>
    public bool AreShownBy(ClusterMember member) =>
        member.Name == Name && member.ClientUrls.SequenceEqual(ClientUrls, StringComparer.Ordinal);
}
