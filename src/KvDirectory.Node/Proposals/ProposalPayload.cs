using System.Buffers;
using KvDirectory.Node.Membership;
using KvDirectory.Store;
using KvDirectory.Wire;

namespace KvDirectory.Node.Proposals;

/// <summary>
/// The data of a normal log entry: the proposer's request id (u64 big-endian), then the body. The body's first byte tells what it is:
/// a store command starts with its codec's version byte (1, as every entry written before member attributes existed);
/// a member's published attributes with <see cref="MemberAttributesTag"/>.
/// </summary>
public static class ProposalPayload
{
    /// <summary>Never a store codec version: marks a body that is <see cref="MemberAttributes"/>.</summary>
    public const byte MemberAttributesTag = 0xFE;

    private const int HeaderSize = 8;

    /// <summary>Above this a scratch buffer is not kept for the next command (one huge value must not pin memory per thread).</summary>
    private const int MaxKeptScratch = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    /// <summary>
    /// The entry data for a store command, encoded once: request id and command go into a per-thread scratch buffer,
    /// then into the one exact-size array the Raft log, the WAL and the peers all share.
    /// </summary>
    public static byte[] Encode(ulong requestId, StoreCommand command)
    {
        var scratch = t_scratch ?? new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        var writer = new WireWriter(scratch);
        writer.UInt64BigEndian(requestId);
        StoreCommandCodec.Write(ref writer, command);
        writer.Flush();
        var payload = scratch.WrittenSpan.ToArray();
        t_scratch = scratch.Capacity <= MaxKeptScratch ? scratch : null;
        return payload;
    }

    /// <summary>Attributes are not a client's request: nobody waits on the id (0).</summary>
    public static byte[] EncodeAttributes(MemberAttributes attributes)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new WireWriter(buffer);
        writer.UInt64BigEndian(0);
        writer.Byte(MemberAttributesTag);
        attributes.Write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Whether a decoded body is <see cref="MemberAttributes"/> (after the tag) rather than a store command.</summary>
    public static bool IsMemberAttributes(ReadOnlySpan<byte> body) => body.Length > 0 && body[0] == MemberAttributesTag;

    /// <summary>Splits entry data into request id and body; false for data too short to have an id (an empty entry).</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> payload, out ulong requestId, out ReadOnlyMemory<byte> body)
    {
        if (payload.Length < HeaderSize)
        {
            requestId = 0;
            body = default;
            return false;
        }

        requestId = new WireReader(payload.Span).UInt64BigEndian();
        body = payload[HeaderSize..];
        return true;
    }
}
