using System.Buffers;
using System.Net.Sockets;
using KvDirectory.Raft;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Server.Cluster;

/// <summary>
/// Carries Raft messages between members over our own length-prefixed TCP protocol (<see cref="PeerFrame"/>):
/// one long-lived outbound connection per peer (<see cref="PeerConnection"/>), a listener for theirs, and a
/// separate short-lived connection per MsgSnap so a large snapshot never queues behind or ahead of heartbeats.
/// Everything received is handed to the <see cref="IPeerMessageSink"/> (the driver), never to the core directly.
/// </summary>
public sealed partial class PeerTransport : IPeerMessageSender, IAsyncDisposable, IDisposable
{
    private readonly PeerTransportOptions _options;
    private readonly ClusterStateHolder _cluster;
    private readonly ILogger _logger;
    private readonly Dictionary<ulong, PeerConnection> _connections;
    private readonly Dictionary<ulong, PeerEndpoint> _peers;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _clusterUpdate = new();
    private readonly TcpListener _listener;
    private IPeerMessageSink? _sink;
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    public PeerTransport(PeerTransportOptions options, ClusterStateHolder cluster, ILogger logger)
    {
        _options = options;
        _cluster = cluster;
        _logger = logger;
        _peers = options.Peers.ToDictionary(p => p.MemberId);
        _connections = options.Peers.ToDictionary(p => p.MemberId, p => new PeerConnection(p, options, () => _sink, logger));
        _listener = new TcpListener(options.ListenAddress);
    }

    /// <summary>Starts listening and dialing every peer now, so handshakes (and client URLs) flow before any traffic.</summary>
    public void Start(IPeerMessageSink sink)
    {
        _sink = sink;
        _listener.Start();
        LogListening(_logger, _options.ListenAddress.ToString());
        _acceptLoop = Task.Run(AcceptAsync);
        foreach (var connection in _connections.Values)
        {
            connection.Start();
        }
    }

    /// <summary>Called on the driver thread: queues and returns; never waits on the network.</summary>
    public void Send(Message message)
    {
        if (Volatile.Read(ref _disposed) != 0 || !_connections.TryGetValue(message.To, out var connection))
        {
            return;
        }

        if (message.Type == MessageType.MsgSnap)
        {
            _ = Task.Run(() => SendSnapshotAsync(_peers[message.To], message));
            return;
        }

        if (!connection.TryEnqueue(message))
        {
            _options.Traffic?.SendFailed(message.To);
            _sink?.ReportPeerUnreachable(message.To);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        foreach (var connection in _connections.Values)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task AcceptAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(token);
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException error)
            {
                LogAcceptFailed(_logger, error.Message);
                continue;
            }

            _ = Task.Run(() => ServeInboundAsync(client, token));
        }
    }

    /// <summary>One inbound connection: a handshake, then Raft messages until the peer hangs up.</summary>
    private async Task ServeInboundAsync(TcpClient client, CancellationToken token)
    {
        using var _ = client;
        var remote = client.Client.RemoteEndPoint?.ToString() ?? "?";
        ulong from = 0;
        try
        {
            client.NoDelay = true;
            var stream = await _options.WrapStream(client.GetStream(), false, token);
            var first = await PeerFrame.ReadAsync(stream, token);
            if (first is not { Kind: PeerFrameKind.Handshake } handshakeFrame)
            {
                LogBadHandshake(_logger, remote, "the first frame is not a handshake");
                return;
            }

            var handshake = PeerHandshake.Decode(handshakeFrame.Payload);
            var local = _options.LocalHandshake;
            if (handshake.ClusterId != local.ClusterId)
            {
                LogClusterMismatch(_logger, remote, handshake.Name, handshake.MemberId, handshake.ClusterId, local.ClusterId);
                return;
            }

            if (!_peers.ContainsKey(handshake.MemberId))
            {
                LogBadHandshake(_logger, remote, $"member {handshake.MemberId:x} ({handshake.Name}) is not in this cluster");
                return;
            }

            PublishClientUrls(handshake);
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
                        throw new InvalidDataException($"unexpected {frame.Kind} frame from a peer");
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception error) when (error is IOException or SocketException or InvalidDataException or FormatException or ObjectDisposedException)
        {
            if (from != 0)
            {
                _options.Traffic?.ReceiveFailed(from);
            }

            LogInboundClosed(_logger, remote, error.Message);
        }
    }

    private void Deliver(PeerHandshake from, byte[] payload)
    {
        _options.Traffic?.Received(from.MemberId, PeerFrame.HeaderSize + payload.Length);
        var message = RaftCodec.DecodeMessage(payload);
        // A message for someone else or claiming another sender than the handshake is a bug or a stray: drop it.
        if (message.To != _options.LocalHandshake.MemberId || message.From != from.MemberId || message.Type.IsLocal())
        {
            LogStrayMessage(_logger, message.Type, message.From, message.To);
            return;
        }

        _sink?.DeliverPeerMessage(message);
    }

    private void PublishClientUrls(PeerHandshake handshake)
    {
        lock (_clusterUpdate)
        {
            var state = _cluster.Current;
            if (state.Find(handshake.MemberId) is not { } member || member.ClientUrls.SequenceEqual(handshake.ClientUrls))
            {
                return;
            }

            var updated = member with { ClientUrls = [.. handshake.ClientUrls] };
            _cluster.Replace(state with { Members = [.. state.Members.Select(m => m.Id == member.Id ? updated : m)] });
        }
    }

    private async Task SendSnapshotAsync(PeerEndpoint peer, Message message)
    {
        var succeeded = false;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.SnapshotTimeout);
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(peer.DialAddress.Host, peer.DialAddress.Port, timeout.Token);
            var stream = await _options.WrapStream(client.GetStream(), true, timeout.Token);
            var frames = new ArrayBufferWriter<byte>();
            PeerFrame.Write(frames, PeerFrameKind.Handshake, _options.LocalHandshake.Encode());
            PeerFrame.Write(frames, PeerFrameKind.Snapshot, RaftCodec.EncodeMessage(message));
            await stream.WriteAsync(frames.WrittenMemory, timeout.Token);
            await stream.FlushAsync(timeout.Token);
            var reply = await PeerFrame.ReadAsync(stream, timeout.Token);
            succeeded = reply is { Kind: PeerFrameKind.SnapshotAck };
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or InvalidDataException)
        {
            _options.Traffic?.SendFailed(peer.MemberId);
            LogSnapshotSendFailed(_logger, peer.Name, peer.MemberId, error.Message);
        }

        LogSnapshotSent(_logger, peer.Name, peer.MemberId, message.Snapshot?.Metadata.Index ?? 0, succeeded);
        _sink?.ReportSnapshotStatus(peer.MemberId, succeeded);
    }

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Dropped peer connection from {Remote} ({Name}, member {MemberId:x}): it belongs to cluster {TheirCluster:x}, this member to cluster {OurCluster:x}")]
    private static partial void LogClusterMismatch(ILogger logger, string remote, string name, ulong memberId, ulong theirCluster, ulong ourCluster);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Dropped peer connection from {Remote}: {Reason}")]
    private static partial void LogBadHandshake(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Inbound peer connection from {Remote} closed: {Reason}")]
    private static partial void LogInboundClosed(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Dropped a stray {Type} message from {From:x} to {To:x}")]
    private static partial void LogStrayMessage(ILogger logger, MessageType type, ulong from, ulong to);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Sending a snapshot to {Name} ({MemberId:x}) failed: {Reason}")]
    private static partial void LogSnapshotSendFailed(ILogger logger, string name, ulong memberId, string reason);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Snapshot at index {Index} to {Name} ({MemberId:x}) delivered: {Succeeded}")]
    private static partial void LogSnapshotSent(ILogger logger, string name, ulong memberId, ulong index, bool succeeded);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Listening for peers on {Address}")]
    private static partial void LogListening(ILogger logger, string address);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Accepting a peer connection failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);
}
