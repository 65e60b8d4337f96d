using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using KvDirectory.Raft;
using Microsoft.Extensions.Logging;
using Polly;

namespace KvDirectory.Transport;

/// <summary>
/// The long-lived outbound connection to one peer. The node's thread only queues encoded messages; a writer
/// loop drains everything queued and writes it with one flush (batching), dials again with backoff when the
/// connection fails, and tells the core the peer is unreachable when messages could not be delivered.
/// </summary>
internal sealed partial class PeerConnection : IAsyncDisposable
{
    private readonly PeerEndpoint _peer;
    private readonly PeerTransportOptions _options;
    private readonly Func<IPeerMessageSink?> _sink;
    private readonly ILogger _logger;
    private readonly Channel<byte[]> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ResiliencePipeline _dial;
    private bool _reachable = true;
    private ulong _mismatchLoggedFor;
    private Task _loop = Task.CompletedTask;

    public PeerConnection(PeerEndpoint peer, PeerTransportOptions options, Func<IPeerMessageSink?> sink, ILogger logger)
    {
        _peer = peer;
        _options = options;
        _sink = sink;
        _logger = logger;
        _dial = PeerDialPolicy.Create(options.InitialBackoff, options.MaxBackoff, OnConnectionFailed);
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.MaxQueuedMessages)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Queues a message without blocking; false when the queue is full (the peer is too slow or gone).</summary>
    public bool TryEnqueue(Message message) => _queue.Writer.TryWrite(RaftCodec.EncodeMessage(message));

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    /// <summary>
    /// Dial (retried by <see cref="_dial"/> with exponential backoff until it succeeds or the node stops), then write
    /// queued messages until the connection fails, then dial again: a long-lived connection that later breaks starts
    /// over from the shortest delay.
    /// </summary>
    private async Task RunAsync()
    {
        var token = _stopping.Token;
        var batch = new ArrayBufferWriter<byte>(4096);
        while (!token.IsCancellationRequested)
        {
            TcpClient client;
            Stream stream;
            try
            {
                (client, stream) = await _dial.ExecuteAsync(DialAsync, token);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                // Stopping: the retry gives up with the last dial's error (refused, timed out) or a cancellation.
                break;
            }

            _reachable = true;
            LogConnected(_logger, _peer.Name, _peer.MemberId, $"{_peer.DialAddress.Host}:{_peer.DialAddress.Port}");
            try
            {
                using var closed = CancellationTokenSource.CreateLinkedTokenSource(token);
                var watch = WatchForCloseAsync(stream, closed, () => _sink()?.ReportRemovedFromCluster(), OnClusterMismatch);
                try
                {
                    await WriteQueuedAsync(stream, batch, closed.Token);
                }
                finally
                {
                    await closed.CancelAsync();
                    client.Dispose();
                    await watch;
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error) when (PeerDialPolicy.IsConnectionFailure(error))
            {
                OnConnectionFailed(error);
            }
            finally
            {
                client.Dispose();
            }
        }
    }

    private async ValueTask<(TcpClient Client, Stream Stream)> DialAsync(CancellationToken token)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var dial = CancellationTokenSource.CreateLinkedTokenSource(token);
            dial.CancelAfter(_options.DialTimeout);
            await client.ConnectAsync(_peer.DialAddress.Host, _peer.DialAddress.Port, dial.Token);
            var stream = _peer.Tls ? await _options.WrapStream(client.GetStream(), _peer.DialAddress.Host, dial.Token) : client.GetStream();
            var handshake = new ArrayBufferWriter<byte>(128);
            PeerFrame.Write(handshake, PeerFrameKind.Handshake, _options.LocalHandshake.Encode());
            await stream.WriteAsync(handshake.WrittenMemory, dial.Token);
            await stream.FlushAsync(dial.Token);
            return (client, stream);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Warn when a peer goes from reachable to not (once per outage); each further failed dial is only debug noise.
    /// Either way what was queued is dropped and the core learns the peer is unreachable.
    /// </summary>
    private void OnConnectionFailed(Exception error)
    {
        var address = $"{_peer.DialAddress.Host}:{_peer.DialAddress.Port}";
        if (_reachable)
        {
            LogPeerLost(_logger, _peer.Name, _peer.MemberId, address, error.Message);
            _reachable = false;
        }
        else
        {
            LogConnectionFailed(_logger, _peer.Name, _peer.MemberId, address, error.Message);
        }

        _options.Traffic?.SendFailed(_peer.MemberId);
        DropQueuedAndReport();
    }

    /// <summary>
    /// The peer never writes on this connection, so a read that returns is the peer (or a proxy in between) hanging
    /// up. Noticing it here matters: a follower may have nothing to send for a long time, and would otherwise keep
    /// a dead connection (and the peer would never see our handshake) until its next write failed.
    /// </summary>
    private static async Task WatchForCloseAsync(Stream stream, CancellationTokenSource closed, Action removed, Action<ulong> clusterMismatch)
    {
        try
        {
            // All a peer may say back: that this member was removed, or belongs to another cluster than the peer.
            var frame = await PeerFrame.ReadAsync(stream, closed.Token);
            if (frame is { Kind: PeerFrameKind.MemberRemoved })
            {
                removed();
            }
            else if (frame is { Kind: PeerFrameKind.ClusterMismatch, Payload.Length: 8 } mismatch)
            {
                clusterMismatch(PeerFrame.DecodeClusterId(mismatch.Payload));
            }
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException or FormatException)
        {
        }

        await closed.CancelAsync();
    }

    private async Task WriteQueuedAsync(Stream stream, ArrayBufferWriter<byte> batch, CancellationToken token)
    {
        while (await _queue.Reader.WaitToReadAsync(token))
        {
            batch.Clear();
            while (_queue.Reader.TryRead(out var message))
            {
                PeerFrame.Write(batch, PeerFrameKind.Message, message);
            }

            using var write = CancellationTokenSource.CreateLinkedTokenSource(token);
            write.CancelAfter(_options.WriteTimeout);
            await stream.WriteAsync(batch.WrittenMemory, write.Token);
            await stream.FlushAsync(write.Token);
            _options.Traffic?.Sent(_peer.MemberId, batch.WrittenCount);
        }
    }

    /// <summary>
    /// Messages queued while the peer is down are stale by the time it is back; Raft resends what still matters.
    /// The core learns the peer is unreachable so the leader stops pipelining appends into the void.
    /// </summary>
    private void DropQueuedAndReport()
    {
        while (_queue.Reader.TryRead(out _))
        {
        }

        _sink()?.ReportPeerUnreachable(_peer.MemberId);
    }

    /// <summary>Said once per distinct answer (the peer is dialed again with backoff, and would say it every time).</summary>
    private void OnClusterMismatch(ulong theirCluster)
    {
        if (Interlocked.Exchange(ref _mismatchLoggedFor, theirCluster) != theirCluster)
        {
            LogClusterMismatch(_logger, _peer.Name, _peer.MemberId, theirCluster, _options.LocalHandshake.ClusterId);
        }
    }

    [LoggerMessage(EventId = 3015, Level = LogLevel.Error, Message = "Peer {Name} ({MemberId:x}) refused this member: it belongs to cluster {TheirCluster:x}, this member to cluster {OurCluster:x}. A data dir made for another cluster, or a different --initial-cluster / --initial-cluster-token, causes this; start with the cluster's flags, or join with --initial-cluster-state existing after adding this member")]
    private static partial void LogClusterMismatch(ILogger logger, string name, ulong memberId, ulong theirCluster, ulong ourCluster);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Connected to peer {Name} ({MemberId:x}) at {Address}")]
    private static partial void LogConnected(ILogger logger, string name, ulong memberId, string address);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Peer {Name} ({MemberId:x}) at {Address} is unreachable: {Reason}; dialing again with backoff")]
    private static partial void LogPeerLost(ILogger logger, string name, ulong memberId, string address, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Peer {Name} ({MemberId:x}) at {Address} is unreachable: {Reason}; dialing again after a backoff")]
    private static partial void LogConnectionFailed(ILogger logger, string name, ulong memberId, string address, string reason);
}
