using System.Buffers;
using KvDirectory.Wire;

namespace KvDirectory.Transport;

/// <summary>
/// The first frame on every peer connection: who is talking, in which cluster. It still carries the sender's name
/// and client URLs, which members of earlier versions read; the member list now takes them from the log, where each
/// member publishes them (the node's MemberAttributes), so they are only logged here.
/// </summary>
public sealed record PeerHandshake(ulong MemberId, ulong ClusterId, string Name, IReadOnlyList<string> ClientUrls)
{
    private const byte Version = 1;
    private const LengthPrefix Short = LengthPrefix.UInt16BigEndian;

    /// <summary><c>u8 version | u64 member id | u64 cluster id | name | client URLs</c>: big-endian, u16 lengths and counts.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new WireWriter(buffer);
        writer.Byte(Version);
        writer.UInt64BigEndian(MemberId);
        writer.UInt64BigEndian(ClusterId);
        writer.String(Name, Short);
        writer.StringList(ClientUrls, Short, Short);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="WireFormatException">The bytes are not a handshake of a version we understand.</exception>
    public static PeerHandshake Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        reader.Version(Version, "peer handshake");
        var memberId = reader.UInt64BigEndian();
        var clusterId = reader.UInt64BigEndian();
        var name = reader.String(Short);
        var urls = reader.StringList(Short, Short);
        reader.ExpectEnd();
        return new PeerHandshake(memberId, clusterId, name, urls);
    }
}
