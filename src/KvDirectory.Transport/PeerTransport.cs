using System.Net.Sockets;
using KvDirectory.Raft;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Transport;

/// <summary>
/// Carries Raft messages between members over our own length-prefixed TCP protocol (<see cref="PeerFrame"/>):
/// one long-lived outbound connection per peer (<see cref="PeerConnection"/>), a listener for theirs (<see cref="InboundPeerConnection"/>), and a
/// separate short-lived connection per MsgSnap (<see cref="SnapshotSender"/>).
/// Everything received is handed to the <see cref="IPeerMessageSink"/> (the node), never to the core directly.
/// Who may talk to this member is the <see cref="PeerRoster"/> the node last gave it.
/// </summary>
public sealed partial class PeerTransport : IPeerNetwork, IAsyncDisposable, IDisposable
{
    private readonly PeerTransportOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _peersUpdate = new();
    private readonly (TcpListener Listener, bool Tls)[] _listeners;
    // Swapped whole under _peersUpdate; read without a lock on the node thread's send path.
    private volatile IReadOnlyDictionary<ulong, (PeerEndpoint Endpoint, PeerConnection Connection)> _peers;
    private IPeerMessageSink? _sink;
    private readonly InboundPeerConnection _inbound;
    private readonly SnapshotSender _snapshots;
    private Task _acceptLoops = Task.CompletedTask;
    private bool _bound;
    private bool _listening;
    private int _disposed;

    public PeerTransport(PeerTransportOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _peers = new Dictionary<ulong, (PeerEndpoint Endpoint, PeerConnection Connection)>();
        _inbound = new InboundPeerConnection(options, () => _sink, logger);
        _snapshots = new SnapshotSender(options, () => _sink, _stopping.Token, logger);
        _listeners = [.. options.Listeners.Select(l => (new TcpListener(l.Address), l.Tls))];
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

            _inbound.Roster = roster;
            var next = new Dictionary<ulong, (PeerEndpoint Endpoint, PeerConnection Connection)>();
            foreach (var member in roster.Members.Where(m => m.Id != roster.LocalMemberId && m.PeerUrls.Count > 0))
            {
                var endpoint = new PeerEndpoint(
                    member.Id,
                    member.Name,
                    _options.DialOverrides.TryGetValue(member.Name, out var address) ? address : PeerDialOverride.FromUrl(member.PeerUrls[0]),
                    PeerEndpoint.IsTls(member.PeerUrls[0]));
                if (_peers.TryGetValue(member.Id, out var current) && current.Endpoint.DialAddress.Equals(endpoint.DialAddress) && current.Endpoint.Tls == endpoint.Tls)
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
                if (_sink is not null)
                {
                    connection.Start();
                }
            }

            retired.AddRange(_peers.Where(p => !next.ContainsKey(p.Key)).Select(p => p.Value.Connection));
            _peers = next;
            if (_sink is not null && next.Count > 0)
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
            _ = Task.Run(() => _snapshots.SendAsync(endpoint, message));
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
            foreach (var (listener, _) in _listeners)
            {
                listener.Stop();
            }

            peers = _peers;
        }

        try
        {
            await _acceptLoops;
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        foreach (var (_, connection) in peers.Values)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// Binds every peer listen address now, before the node runs: a member of a multi-member cluster that cannot be
    /// reached must not start (as etcd). <see cref="Start"/> then accepts on them.
    /// </summary>
    public void Bind()
    {
        foreach (var (listener, _) in _listeners)
        {
            try
            {
                listener.Start();
            }
            catch (SocketException error)
            {
                foreach (var (bound, _) in _listeners)
                {
                    bound.Stop();
                }

                throw new PeerListenException(listener.LocalEndpoint.ToString() ?? "?", error.Message, error);
            }
        }

        _bound = true;
    }

    private void StartListening()
    {
        if (_listening)
        {
            return;
        }

        var loops = new List<Task>();
        foreach (var (listener, tls) in _listeners)
        {
            // Bound late (a second member was added to a running single one): a failure cannot stop the start any more.
            try
            {
                if (!_bound)
                {
                    listener.Start();
                }
            }
            catch (SocketException error)
            {
                LogListenFailed(_logger, listener.LocalEndpoint.ToString() ?? "?", error.Message);
                continue;
            }

            LogListening(_logger, listener.LocalEndpoint.ToString() ?? "?", tls ? "https" : "http");
            loops.Add(Task.Run(() => AcceptAsync(listener, tls)));
        }

        _listening = loops.Count > 0;
        _acceptLoops = Task.WhenAll(loops);
    }

    private async Task AcceptAsync(TcpListener listener, bool tls)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(token);
            }
            // "Not listening" (InvalidOperationException): disposal stopped the listener between the loop's check and the accept.
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException
                || (error is InvalidOperationException && token.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException error)
            {
                LogAcceptFailed(_logger, error.Message);
                continue;
            }

            _ = Task.Run(() => _inbound.ServeAsync(client, tls, token));
        }
    }

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Listening for peers on {Address} ({Scheme})")]
    private static partial void LogListening(ILogger logger, string address, string scheme);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Critical, Message = "Cannot listen for peers on {Address}: {Reason}; other members cannot reach this one (check --listen-peer-urls)")]
    private static partial void LogListenFailed(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Peer {MemberId:x} will be dialed at {Host}:{Port}")]
    private static partial void LogPeerAdded(ILogger logger, ulong memberId, string host, int port);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Accepting a peer connection failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);
}
