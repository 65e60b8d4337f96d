using System.Buffers;
using System.Net.Sockets;
using KvDirectory.Raft;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Transport;

/// <summary>
/// Sends a MsgSnap over a connection of its own, so a large snapshot never queues behind or ahead of heartbeats,
/// and reports to the sink whether the peer acknowledged it.
/// </summary>
internal sealed partial class SnapshotSender(PeerTransportOptions options, Func<IPeerMessageSink?> sink, CancellationToken stopping, ILogger logger)
{
    public async Task SendAsync(PeerEndpoint peer, Message message)
    {
        var succeeded = false;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(options.SnapshotTimeout);
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(peer.DialAddress.Host, peer.DialAddress.Port, timeout.Token);
            var stream = peer.Tls ? await options.WrapStream(client.GetStream(), peer.DialAddress.Host, timeout.Token) : client.GetStream();
            var frames = new ArrayBufferWriter<byte>();
            PeerFrame.Write(frames, PeerFrameKind.Handshake, options.LocalHandshake.Encode());
            PeerFrame.Write(frames, PeerFrameKind.Snapshot, RaftCodec.EncodeMessage(message));
            await stream.WriteAsync(frames.WrittenMemory, timeout.Token);
            await stream.FlushAsync(timeout.Token);
            var reply = await PeerFrame.ReadAsync(stream, timeout.Token);
            succeeded = reply is { Kind: PeerFrameKind.SnapshotAck };
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or FormatException)
        {
            options.Traffic?.SendFailed(peer.MemberId);
            LogSnapshotSendFailed(logger, peer.Name, peer.MemberId, error.Message);
        }

        LogSnapshotSent(logger, peer.Name, peer.MemberId, message.Snapshot?.Metadata.Index ?? 0, succeeded);
        sink()?.ReportSnapshotStatus(peer.MemberId, succeeded);
    }

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Sending a snapshot to {Name} ({MemberId:x}) failed: {Reason}")]
    private static partial void LogSnapshotSendFailed(ILogger logger, string name, ulong memberId, string reason);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Snapshot at index {Index} to {Name} ({MemberId:x}) delivered: {Succeeded}")]
    private static partial void LogSnapshotSent(ILogger logger, string name, ulong memberId, ulong index, bool succeeded);
}
