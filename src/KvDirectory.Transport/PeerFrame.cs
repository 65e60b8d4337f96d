using System.Buffers;
using KvDirectory.Wire;

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

    /// <summary>Payloads up to this size (every Raft message but large snapshots) are allocated at once.</summary>
    private const int EagerPayloadBytes = 1024 * 1024;

    public static void Write(IBufferWriter<byte> output, PeerFrameKind kind, ReadOnlySpan<byte> payload)
    {
        var writer = new WireWriter(output);
        writer.UInt32BigEndian((uint)payload.Length);
        writer.Byte((byte)kind);
        writer.Bytes(payload);
        writer.Flush();
    }

    /// <summary>The payload of a <see cref="PeerFrameKind.ClusterMismatch"/> frame.</summary>
    public static byte[] EncodeClusterId(ulong clusterId)
    {
        var payload = new byte[8];
        var writer = new WireWriter(payload);
        writer.UInt64BigEndian(clusterId);
        return payload;
    }

    /// <exception cref="WireFormatException">Not a cluster id.</exception>
    public static ulong DecodeClusterId(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        var clusterId = reader.UInt64BigEndian();
        reader.ExpectEnd();
        return clusterId;
    }

    /// <summary>Reads one frame; null when the stream ended cleanly before a new frame began.</summary>
    /// <exception cref="WireFormatException">A header with an unknown kind or a length over the limit.</exception>
    /// <exception cref="EndOfStreamException">The connection ended inside a frame.</exception>
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

        var (length, kind) = ReadHeader(header);
        if (length <= EagerPayloadBytes)
        {
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload, cancellationToken);
            return (kind, payload);
        }

        return (kind, await ReadLargeAsync(stream, (int)length, cancellationToken));
    }

    /// <summary>
    /// A large payload (a snapshot) grows with the bytes that actually arrive, so a damaged or hostile header that declares
    /// hundreds of megabytes costs a megabyte until the peer really sends them.
    /// </summary>
    private static async ValueTask<byte[]> ReadLargeAsync(Stream stream, int length, CancellationToken cancellationToken)
    {
        var payload = new byte[EagerPayloadBytes];
        var filled = 0;
        while (filled < length)
        {
            if (filled == payload.Length)
            {
                Array.Resize(ref payload, (int)Math.Min(length, payload.Length * 2L));
            }

            var read = await stream.ReadAsync(payload.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException($"the peer closed the connection after {filled} of a {length}-byte frame");
            }

            filled += read;
        }

        return payload;
    }

    private static (uint Length, PeerFrameKind Kind) ReadHeader(ReadOnlySpan<byte> header)
    {
        var reader = new WireReader(header);
        var length = reader.UInt32BigEndian();
        if (length > MaxPayloadBytes)
        {
            throw new WireFormatException($"peer frame of {length} bytes exceeds the {MaxPayloadBytes}-byte limit");
        }

        var kind = reader.Byte();
        if (!Enum.IsDefined((PeerFrameKind)kind))
        {
            throw new WireFormatException($"unknown peer frame kind {kind}");
        }

        return (length, (PeerFrameKind)kind);
    }
}
