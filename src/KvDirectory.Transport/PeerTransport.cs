using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using KvDirectory.Raft;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Transport;

/// <summary>
/// Carries Raft messages between members over our own length-prefixed TCP protocol (<see cref="PeerFrame"/>):
/// one long-lived outbound connection per peer (<see cref="PeerConnection"/>), a listener for theirs, and a
/// separate short-lived connection per MsgSnap so a large snapshot never queues behind or ahead of heartbeats.
/// Everything received is handed to the <see cref="IPeerMessageSink"/> (the node), never to the core directly.
/// Who may talk to this member is the <see cref="PeerRoster"/> the node last gave it.
/// </summary>
public sealed partial class PeerTransport : IPeerNetwork, IAsyncDisposable, IDisposable
{
    private readonly PeerTransportOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _peersUpdate = new();
    private readonly TcpListener _listener;
    // Swapped whole under _peersUpdate; read without a lock on the node thread's send path.
    private volatile IReadOnlyDictionary<ulong, (PeerEndpoint Endpoint, PeerConnection Connection)> _peers;
    private volatile PeerRoster _roster = PeerRoster.Empty;
    private IPeerMessageSink? _sink;
    private Task _acceptLoop = Task.CompletedTask;
    private bool _started;
    private bool _listening;
    private int _disposed;

    public PeerTransport(PeerTransportOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _peers = new Dictionary<ulong, (PeerEndpoint Endpoint, PeerConnection Connection)>();
        _listener = new TcpListener(options.ListenAddress);
    }

    /// <summary>
    /// Dials every peer now, so handshakes (and client URLs) flow before any traffic, and listens for theirs.
    /// A member alone in its cluster opens its peer port only once a second member is added.
    /// </summary>
    public void Start(IPeerMessageSink sink)
    {
        lock (_peersUpdate)
        {
            _sink = sink;
            _started = true;
            if (_peers.Count > 0)
            {
                StartListening();
            }

            foreach (var (_, connection) in _peers.Values)
            {
                connection.Start();
            }
        }
    }

    /// <summary>
    /// Called on the node's thread when a membership change was applied: dials added members, hangs up on removed
    /// ones, and redials members whose peer URLs changed. Never waits on the network (closing runs in the background).
    /// </summary>
    public void UpdateRoster(PeerRoster roster)
    {
        var retired = new List<PeerConnection>();
        lock (_peersUpdate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            _roster = roster;
            var next = new Dictionary<ulong, (PeerEndpoint Endpoint, PeerConnection Connection)>();
            foreach (var member in roster.Members.Where(m => m.Id != roster.LocalMemberId && m.PeerUrls.Count > 0))
            {
                var endpoint = new PeerEndpoint(
                    member.Id,
                    member.Name,
                    _options.DialOverrides.TryGetValue(member.Name, out var address) ? address : PeerDialOverride.FromUrl(member.PeerUrls[0]));
                if (_peers.TryGetValue(member.Id, out var current) && current.Endpoint.DialAddress.Equals(endpoint.DialAddress))
                {
                    next[member.Id] = current;
                    continue;
                }

                if (current.Connection is not null)
                {
                    retired.Add(current.Connection);
                }

                var connection = new PeerConnection(endpoint, _options, () => _sink, _logger);
                next[member.Id] = (endpoint, connection);
                LogPeerAdded(_logger, member.Id, endpoint.DialAddress.Host, endpoint.DialAddress.Port);
                if (_started)
                {
                    connection.Start();
                }
            }

            retired.AddRange(_peers.Where(p => !next.ContainsKey(p.Key)).Select(p => p.Value.Connection));
            _peers = next;
            if (_started && next.Count > 0)
            {
                StartListening();
            }
        }

        foreach (var connection in retired)
        {
            _ = Task.Run(async () => await connection.DisposeAsync());
        }
    }

    /// <summary>Called on the node's thread: queues and returns; never waits on the network.</summary>
    public void Send(Message message)
    {
        if (Volatile.Read(ref _disposed) != 0 || !_peers.TryGetValue(message.To, out var peer))
        {
            return;
        }

        var (endpoint, connection) = peer;
        if (message.Type == MessageType.MsgSnap)
        {
            _ = Task.Run(() => SendSnapshotAsync(endpoint, message));
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
        IReadOnlyDictionary<ulong, (PeerEndpoint Endpoint, PeerConnection Connection)> peers;
        lock (_peersUpdate)
        {
            _listener.Stop();
            peers = _peers;
        }

        try
        {
            await _acceptLoop;
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        foreach (var (_, connection) in peers.Values)
        {
            await connection.DisposeAsync();
        }
    }

    private void StartListening()
    {
        if (_listening)
        {
            return;
        }

        try
        {
            _listener.Start();
        }
        catch (SocketException error)
        {
            LogListenFailed(_logger, _options.ListenAddress.ToString(), error.Message);
            return;
        }

        _listening = true;
        LogListening(_logger, _options.ListenAddress.ToString());
        _acceptLoop = Task.Run(AcceptAsync);
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
            var stream = await _options.WrapStream(client.GetStream(), null, token);
            var first = await PeerFrame.ReadAsync(stream, token);
            if (first is { Kind: PeerFrameKind.MembershipQuery })
            {
                await AnswerMembershipQueryAsync(stream, remote, token);
                return;
            }

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
                var mismatch = new ArrayBufferWriter<byte>(PeerFrame.HeaderSize + 8);
                var ours = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(ours, local.ClusterId);
                PeerFrame.Write(mismatch, PeerFrameKind.ClusterMismatch, ours);
                await stream.WriteAsync(mismatch.WrittenMemory, token);
                await stream.FlushAsync(token);
                return;
            }

            var roster = _roster;
            if (roster.RemovedIds.Contains(handshake.MemberId))
            {
                LogBadHandshake(_logger, remote, $"member {handshake.MemberId:x} ({handshake.Name}) was removed from this cluster");
                // Tell it, so a member removed while it was down or cut off shuts down instead of knocking forever.
                var notice = new ArrayBufferWriter<byte>(PeerFrame.HeaderSize);
                PeerFrame.Write(notice, PeerFrameKind.MemberRemoved, []);
                await stream.WriteAsync(notice.WrittenMemory, token);
                await stream.FlushAsync(token);
                return;
            }

            if (!roster.Contains(handshake.MemberId))
            {
                // Also a member whose addition this member has not applied yet: it dials again with backoff.
                LogBadHandshake(_logger, remote, $"member {handshake.MemberId:x} ({handshake.Name}) is not in this cluster");
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

    private async Task AnswerMembershipQueryAsync(Stream stream, string remote, CancellationToken token)
    {
        var reply = new ArrayBufferWriter<byte>(512);
        PeerFrame.Write(reply, PeerFrameKind.MembershipReply, _options.MemberList());
        await stream.WriteAsync(reply.WrittenMemory, token);
        await stream.FlushAsync(token);
        LogMembershipQueried(_logger, remote);
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
            var stream = await _options.WrapStream(client.GetStream(), peer.DialAddress.Host, timeout.Token);
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

    [LoggerMessage(EventId = 3012, Level = LogLevel.Critical, Message = "Cannot listen for peers on {Address}: {Reason}; other members cannot reach this one (check --listen-peer-urls)")]
    private static partial void LogListenFailed(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Peer {MemberId:x} will be dialed at {Host}:{Port}")]
    private static partial void LogPeerAdded(ILogger logger, ulong memberId, string host, int port);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Sent the member list to a joining member at {Remote}")]
    private static partial void LogMembershipQueried(ILogger logger, string remote);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Accepting a peer connection failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);
}
