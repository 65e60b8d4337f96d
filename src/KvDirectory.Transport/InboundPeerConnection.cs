using System.Buffers;
using System.Net.Sockets;
using KvDirectory.Raft;
using KvDirectory.Wire;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Transport;

/// <summary>
/// Serves the connections other members open to this one: checks the handshake against the cluster and the roster
/// (telling a member of another cluster, or a removed one, why it is refused), answers a joining member's member-list
/// query, and hands every Raft message to the sink.
/// </summary>
internal sealed partial class InboundPeerConnection(PeerTransportOptions options, Func<IPeerMessageSink?> sink, ILogger logger)
{
    private volatile PeerRoster _roster = PeerRoster.Empty;

    /// <summary>Whom to accept and whom to turn away; swapped whole by the transport on every membership change.</summary>
    public PeerRoster Roster
    {
        get => _roster;
        set => _roster = value;
    }

    /// <summary>One inbound connection (on an https listener when <paramref name="tls"/>): a handshake, then Raft messages until the peer hangs up.</summary>
    public async Task ServeAsync(TcpClient client, bool tls, CancellationToken token)
    {
        using var _ = client;
        var remote = client.Client.RemoteEndPoint?.ToString() ?? "?";
        ulong from = 0;
        try
        {
            client.NoDelay = true;
            // A connection that never finishes its TLS handshake or first frame would otherwise hold a socket and a
            // task until shutdown: whoever can reach the peer port could pile them up.
            using var opening = CancellationTokenSource.CreateLinkedTokenSource(token);
            opening.CancelAfter(options.HandshakeTimeout);
            var stream = tls ? await options.WrapStream(client.GetStream(), null, opening.Token) : client.GetStream();
            var first = await PeerFrame.ReadAsync(stream, opening.Token);
            if (first is { Kind: PeerFrameKind.MembershipQuery })
            {
                await AnswerMembershipQueryAsync(stream, remote, token);
                return;
            }

            if (first is not { Kind: PeerFrameKind.Handshake } handshakeFrame)
            {
                LogBadHandshake(logger, remote, "the first frame is not a handshake");
                return;
            }

            var handshake = PeerHandshake.Decode(handshakeFrame.Payload);
            var local = options.LocalHandshake;
            if (handshake.ClusterId != local.ClusterId)
            {
                LogClusterMismatch(logger, remote, handshake.Name, handshake.MemberId, handshake.ClusterId, local.ClusterId);
                var mismatch = new ArrayBufferWriter<byte>(PeerFrame.HeaderSize + 8);
                PeerFrame.Write(mismatch, PeerFrameKind.ClusterMismatch, PeerFrame.EncodeClusterId(local.ClusterId));
                await stream.WriteAsync(mismatch.WrittenMemory, token);
                await stream.FlushAsync(token);
                return;
            }

            var current = _roster;
            if (current.RemovedIds.Contains(handshake.MemberId))
            {
                LogBadHandshake(logger, remote, $"member {handshake.MemberId:x} ({handshake.Name}) was removed from this cluster");
                // Tell it, so a member removed while it was down or cut off shuts down instead of knocking forever.
                var notice = new ArrayBufferWriter<byte>(PeerFrame.HeaderSize);
                PeerFrame.Write(notice, PeerFrameKind.MemberRemoved, []);
                await stream.WriteAsync(notice.WrittenMemory, token);
                await stream.FlushAsync(token);
                return;
            }

            if (!current.Contains(handshake.MemberId))
            {
                // Also a member whose addition this member has not applied yet: it dials again with backoff.
                LogBadHandshake(logger, remote, $"member {handshake.MemberId:x} ({handshake.Name}) is not in this cluster");
                return;
            }

            from = handshake.MemberId;
            while (await PeerFrame.ReadAsync(stream, token) is { } frame)
            {
                switch (frame.Kind)
                {
                    case PeerFrameKind.Message:
                        Deliver(handshake, frame.Payload);
                        break;
                    case PeerFrameKind.Snapshot:
                        Deliver(handshake, frame.Payload);
                        var ack = new ArrayBufferWriter<byte>(PeerFrame.HeaderSize);
                        PeerFrame.Write(ack, PeerFrameKind.SnapshotAck, []);
                        await stream.WriteAsync(ack.WrittenMemory, token);
                        await stream.FlushAsync(token);
                        break;
                    default:
                        throw new WireFormatException($"unexpected {frame.Kind} frame from a peer");
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            LogBadHandshake(logger, remote, $"no handshake within {options.HandshakeTimeout.TotalSeconds:0.#} s");
        }
        catch (Tls.PeerCertificateRejectedException error)
        {
            LogCertificateRejected(logger, remote, error.Message);
        }
        catch (Exception error) when (error is IOException or SocketException or FormatException or ObjectDisposedException)
        {
            if (from != 0)
            {
                options.Traffic?.ReceiveFailed(from);
            }

            LogInboundClosed(logger, remote, error.Message);
        }
    }

    private void Deliver(PeerHandshake from, byte[] payload)
    {
        options.Traffic?.Received(from.MemberId, PeerFrame.HeaderSize + payload.Length);
        var message = RaftCodec.DecodeMessage(payload);
        // A message for someone else or claiming another sender than the handshake is a bug or a stray: drop it.
        if (message.To != options.LocalHandshake.MemberId || message.From != from.MemberId || message.Type.IsLocal())
        {
            LogStrayMessage(logger, message.Type, message.From, message.To);
            return;
        }

        sink()?.DeliverPeerMessage(message);
    }

    private async Task AnswerMembershipQueryAsync(Stream stream, string remote, CancellationToken token)
    {
        var reply = new ArrayBufferWriter<byte>(512);
        PeerFrame.Write(reply, PeerFrameKind.MembershipReply, options.MemberList());
        await stream.WriteAsync(reply.WrittenMemory, token);
        await stream.FlushAsync(token);
        LogMembershipQueried(logger, remote);
    }

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Dropped peer connection from {Remote} ({Name}, member {MemberId:x}): it belongs to cluster {TheirCluster:x}, this member to cluster {OurCluster:x}")]
    private static partial void LogClusterMismatch(ILogger logger, string remote, string name, ulong memberId, ulong theirCluster, ulong ourCluster);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Dropped peer connection from {Remote}: {Reason}")]
    private static partial void LogBadHandshake(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Warning, Message = "Refused peer connection from {Remote}: {Reason}")]
    private static partial void LogCertificateRejected(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Inbound peer connection from {Remote} closed: {Reason}")]
    private static partial void LogInboundClosed(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Dropped a stray {Type} message from {From:x} to {To:x}")]
    private static partial void LogStrayMessage(ILogger logger, MessageType type, ulong from, ulong to);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Sent the member list to a joining member at {Remote}")]
    private static partial void LogMembershipQueried(ILogger logger, string remote);
}
