using System.Buffers.Binary;
using KvDirectory.Node.Membership;

namespace KvDirectory.Node.Proposals;

/// <summary>
/// The data of a normal log entry: the proposer's request id, then the body. The body's first byte tells what it is:
/// a store command starts with its codec's version byte (1, as every entry written before member attributes existed);
/// a member's published attributes with <see cref="MemberAttributesTag"/>.
/// </summary>
public static class ProposalPayload
{
    /// <summary>Never a store codec version: marks a body that is <see cref="MemberAttributes"/>.</summary>
    public const byte MemberAttributesTag = 0xFE;

    private const int HeaderSize = 8;

    public static byte[] Encode(ulong requestId, ReadOnlySpan<byte> command)
    {
        var payload = new byte[HeaderSize + command.Length];
        BinaryPrimitives.WriteUInt64BigEndian(payload, requestId);
        command.CopyTo(payload.AsSpan(HeaderSize));
        return payload;
    }

    /// <summary>Attributes are not a client's request: nobody waits on the id (0).</summary>
    public static byte[] EncodeAttributes(MemberAttributes attributes)
    {
        var body = attributes.Encode();
        var payload = new byte[HeaderSize + 1 + body.Length];
        payload[HeaderSize] = MemberAttributesTag;
        body.CopyTo(payload.AsSpan(HeaderSize + 1));
        return payload;
    }

    /// <summary>Whether a decoded body is <see cref="MemberAttributes"/> (after the tag) rather than a store command.</summary>
    public static bool IsMemberAttributes(ReadOnlySpan<byte> body) => body.Length > 0 && body[0] == MemberAttributesTag;

    public static bool TryDecode(ReadOnlyMemory<byte> payload, out ulong requestId, out ReadOnlyMemory<byte> command)
    {
        if (payload.Length < HeaderSize)
        {
            requestId = 0;
            command = default;
            return false;
        }

        requestId = BinaryPrimitives.ReadUInt64BigEndian(payload.Span);
        command = payload[HeaderSize..];
        return true;
    }
}
