using System.Buffers;
using System.Buffers.Binary;
using KvDirectory.Protocol.Binary;

namespace KvDirectory.Node.Membership;

/// <summary>
/// What a member publishes about itself through the log once it starts (and again when they change), as etcd does:
/// its name and client URLs. Every member applies the same entry, so every member lists the same attributes, whether
/// or not it ever connected to the member that published them.
/// </summary>
public sealed record MemberAttributes(ulong MemberId, string Name, IReadOnlyList<string> ClientUrls)
{
    private const byte Version = 1;

    public byte[] Encode()
    {
        var writer = new ArrayBufferWriter<byte>(64);
        var head = writer.GetSpan(9);
        head[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(head[1..], MemberId);
        writer.Advance(9);
        WireStrings.Write(writer, Name);
        WireStrings.WriteList(writer, ClientUrls);
        return writer.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">Not attributes of a version this member understands.</exception>
    public static MemberAttributes Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 9 || bytes[0] != Version)
        {
            throw new FormatException("member attributes are not of a known version");
        }

        var memberId = BinaryPrimitives.ReadUInt64BigEndian(bytes[1..]);
        var rest = bytes[9..];
        var name = WireStrings.Read(ref rest);
        var clientUrls = WireStrings.ReadList(ref rest);
        return new MemberAttributes(memberId, name, clientUrls);
    }

    /// <summary>Whether <paramref name="member"/> already shows these attributes.</summary>
    public bool AreShownBy(ClusterMember member) =>
        member.Name == Name && member.ClientUrls.SequenceEqual(ClientUrls, StringComparer.Ordinal);
}
