using System.Buffers.Binary;

namespace KvDirectory.Node.Proposals;

/// <summary>The data of a normal log entry: the proposer's request id, then the encoded store command.</summary>
public static class ProposalPayload
{
    private const int HeaderSize = 8;

    public static byte[] Encode(ulong requestId, ReadOnlySpan<byte> command)
    {
        var payload = new byte[HeaderSize + command.Length];
        BinaryPrimitives.WriteUInt64BigEndian(payload, requestId);
        command.CopyTo(payload.AsSpan(HeaderSize));
        return payload;
    }

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
