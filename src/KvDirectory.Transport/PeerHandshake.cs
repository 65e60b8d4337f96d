using System.Buffers;
using System.Buffers.Binary;
using KvDirectory.Protocol.Binary;

namespace KvDirectory.Transport;

/// <summary>
/// The first frame on every peer connection: who is talking, in which cluster. It still carries the sender's name
/// and client URLs, which members of earlier versions read; the member list now takes them from the log, where each
/// member publishes them (the node's MemberAttributes), so they are only logged here.
/// </summary>
public sealed record PeerHandshake(ulong MemberId, ulong ClusterId, string Name, IReadOnlyList<string> ClientUrls)
{
    private const byte Version = 1;

    public byte[] Encode()
    {
        var writer = new ArrayBufferWriter<byte>(64);
        var fixedPart = writer.GetSpan(17);
        fixedPart[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(fixedPart[1..], MemberId);
        BinaryPrimitives.WriteUInt64BigEndian(fixedPart[9..], ClusterId);
        writer.Advance(17);
        WireStrings.Write(writer, Name);
        WireStrings.WriteList(writer, ClientUrls);

        return writer.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The bytes are not a handshake of a version we understand.</exception>
    public static PeerHandshake Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            if (bytes[0] != Version)
            {
                throw new FormatException($"peer handshake version {bytes[0]} is not supported (expected {Version})");
            }

            var memberId = BinaryPrimitives.ReadUInt64BigEndian(bytes[1..]);
            var clusterId = BinaryPrimitives.ReadUInt64BigEndian(bytes[9..]);
            var rest = bytes[17..];
            var name = WireStrings.Read(ref rest);
            var urls = WireStrings.ReadList(ref rest);

            if (!rest.IsEmpty)
            {
                throw new FormatException("peer handshake has trailing bytes");
            }

            return new PeerHandshake(memberId, clusterId, name, urls);
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw new FormatException("peer handshake is truncated", error);
        }
        catch (IndexOutOfRangeException error)
        {
            throw new FormatException("peer handshake is truncated", error);
        }
    }
}
