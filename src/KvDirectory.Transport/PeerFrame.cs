using System.Buffers;
using System.Buffers.Binary;

namespace KvDirectory.Transport;

/// <summary>What a frame on a peer connection carries.</summary>
public enum PeerFrameKind : byte
{
    /// <summary>First frame of every connection: who is talking (<see cref="PeerHandshake"/>).</summary>
    Handshake = 1,

    /// <summary>One Raft message (<c>RaftCodec.EncodeMessage</c>).</summary>
    Message = 2,

    /// <summary>A MsgSnap on its own short-lived connection; the receiver answers <see cref="SnapshotAck"/>.</summary>
    Snapshot = 3,

    /// <summary>The receiver took the snapshot message; the sender reports success to its core.</summary>
    SnapshotAck = 4,

    /// <summary>
    /// Instead of a handshake: a member starting with <c>--initial-cluster-state existing</c> asks for the member list
    /// (it does not know its own id or the cluster id yet); answered with one <see cref="MembershipReply"/>.
    /// </summary>
    MembershipQuery = 5,

    /// <summary>The member list (the node encodes it; opaque to the transport), answering a <see cref="MembershipQuery"/>.</summary>
    MembershipReply = 6,

    /// <summary>The only frame a member ever writes back on a peer's connection: "you were removed from this cluster".</summary>
    MemberRemoved = 7,

    /// <summary>"This member belongs to another cluster" (payload: its cluster id, u64 big-endian), so the dialer can say so.</summary>
    ClusterMismatch = 8,
}

/// <summary>
/// The peer wire format: <c>[u32 payload length, big-endian][u8 kind][payload]</c>. A length prefix (not a
/// delimiter) lets the reader allocate once per frame and refuse an absurd length before reading it.
/// </summary>
public static class PeerFrame
{
    public const int HeaderSize = 5;

    /// <summary>Larger frames are refused: a corrupt or hostile length must not make us allocate gigabytes.</summary>
    public const int MaxPayloadBytes = 512 * 1024 * 1024;

    public static void Write(IBufferWriter<byte> writer, PeerFrameKind kind, ReadOnlySpan<byte> payload)
    {
        var header = writer.GetSpan(HeaderSize);
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)payload.Length);
        header[4] = (byte)kind;
        writer.Advance(HeaderSize);
        writer.Write(payload);
    }

    /// <summary>Reads one frame; null when the stream ended cleanly before a new frame began.</summary>
    public static async ValueTask<(PeerFrameKind Kind, byte[] Payload)?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        var read = await stream.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        if (read < HeaderSize)
        {
            throw new EndOfStreamException("the peer closed the connection in the middle of a frame header");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length > MaxPayloadBytes)
        {
            throw new InvalidDataException($"peer frame of {length} bytes exceeds the {MaxPayloadBytes}-byte limit");
        }

        var kind = (PeerFrameKind)header[4];
        if (!Enum.IsDefined(kind))
        {
            throw new InvalidDataException($"unknown peer frame kind {header[4]}");
        }

        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        return (kind, payload);
    }
}
