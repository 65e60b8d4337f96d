using System.Collections.Concurrent;
using System.Net;
using KvDirectory.Raft;
using KvDirectory.Transport;
using KvDirectory.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Transport.Tests;

/// <summary>Two transports in one process over real loopback sockets.</summary>
public sealed class PeerTransportTests
{
    private const ulong ClusterId = 0xc1;
    private const ulong IdA = 0xa;
    private const ulong IdB = 0xb;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_message_reaches_the_peer_sink()
    {
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var sinkA = new RecordingSink();
        var sinkB = new RecordingSink();
        await using var a = Transport(IdA, ClusterId, portA, portB);
        await using var b = Transport(IdB, ClusterId, portB, portA);
        b.Start(sinkB);
        a.Start(sinkA);

        a.Send(new Message { Type = MessageType.MsgHeartbeat, From = IdA, To = IdB, Term = 3, Commit = 7 });

        var received = await sinkB.Messages.Reader.ReadAsync().AsTask().WaitAsync(Deadline);
        (received.Type, received.From, received.To, received.Term, received.Commit).Should().Be((MessageType.MsgHeartbeat, IdA, IdB, 3UL, 7UL));
    }

    [Fact]
    public async Task Many_messages_arrive_in_the_order_they_were_sent()
    {
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var sinkB = new RecordingSink();
        await using var a = Transport(IdA, ClusterId, portA, portB);
        await using var b = Transport(IdB, ClusterId, portB, portA);
        // The receiver listens before the sender dials: a refused dial rightly drops what was queued (Raft resends).
        b.Start(sinkB);
        a.Start(new RecordingSink());
        // A dial that times out (a loaded machine) drops what was queued, by design; the order is checked once connected.
        await ConnectAsync(a, sinkB);

        for (ulong i = 1; i <= 500; i++)
        {
            a.Send(new Message { Type = MessageType.MsgApp, From = IdA, To = IdB, Index = i });
        }

        var indexes = new List<ulong>();
        while (indexes.Count < 500)
        {
            var message = await sinkB.Messages.Reader.ReadAsync().AsTask().WaitAsync(Deadline);
            if (message.Type == MessageType.MsgApp)
            {
                indexes.Add(message.Index);
            }
        }

        indexes.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task A_connection_from_another_cluster_is_dropped_with_a_log_line_on_both_sides_and_nothing_is_delivered()
    {
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var sinkB = new RecordingSink();
        var logA = new RecordingLogger();
        var logB = new RecordingLogger();
        await using var a = Transport(IdA, ClusterId + 1, portA, portB, logA);
        await using var b = Transport(IdB, ClusterId, portB, portA, logB);
        b.Start(sinkB);
        a.Start(new RecordingSink());

        a.Send(new Message { Type = MessageType.MsgHeartbeat, From = IdA, To = IdB });

        await logB.Mismatch.Task.WaitAsync(Deadline);
        logB.Lines.Should().Contain(line => line.Contains("belongs to cluster c2", StringComparison.Ordinal));
        await logA.RefusedByPeer.Task.WaitAsync(Deadline);
        logA.Lines.Should().ContainSingle(line => line.Contains("refused this member: it belongs to cluster c1, this member to cluster c2", StringComparison.Ordinal),
            "the refused member says why, once, however often it dials again");
        sinkB.Messages.Reader.TryRead(out _).Should().BeFalse();
    }

    [Fact]
    public async Task A_peer_nobody_listens_for_is_reported_unreachable()
    {
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var sinkA = new RecordingSink();
        await using var a = Transport(IdA, ClusterId, portA, portB);
        a.Start(sinkA);

        a.Send(new Message { Type = MessageType.MsgApp, From = IdA, To = IdB });

        (await sinkA.Unreachable.Reader.ReadAsync().AsTask().WaitAsync(Deadline)).Should().Be(IdB);
    }

    [Fact]
    public async Task A_snapshot_goes_over_its_own_connection_and_its_delivery_is_reported()
    {
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var sinkA = new RecordingSink();
        var sinkB = new RecordingSink();
        await using var a = Transport(IdA, ClusterId, portA, portB);
        await using var b = Transport(IdB, ClusterId, portB, portA);
        b.Start(sinkB);
        a.Start(sinkA);
        var snapshot = new Snapshot(new SnapshotMetadata(42, 3, ConfState.Empty), new byte[300_000]);

        a.Send(new Message { Type = MessageType.MsgSnap, From = IdA, To = IdB, Term = 3, Snapshot = snapshot });

        var received = await sinkB.Messages.Reader.ReadAsync().AsTask().WaitAsync(Deadline);
        received.Snapshot!.Metadata.Index.Should().Be(42);
        received.Snapshot.Data.Length.Should().Be(300_000);
        (await sinkA.Snapshots.Reader.ReadAsync().AsTask().WaitAsync(Deadline)).Should().Be((IdB, true));
    }

    [Fact]
    public async Task Stopping_while_a_dead_peer_is_being_dialed_again_is_quiet()
    {
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var sinkA = new RecordingSink();
        var a = Transport(IdA, ClusterId, portA, portB);
        a.Start(sinkA);
        // Two failed dials: the connection is now waiting out a backoff delay between attempts.
        await sinkA.Unreachable.Reader.ReadAsync().AsTask().WaitAsync(Deadline);
        await sinkA.Unreachable.Reader.ReadAsync().AsTask().WaitAsync(Deadline);

        await FluentActions.Awaiting(() => a.DisposeAsync().AsTask()).Should().NotThrowAsync(
            "the retry gives up with the last dial's error when stopped; that is no failure of the stop");
    }

    [Fact]
    public async Task A_snapshot_to_a_peer_nobody_listens_for_is_reported_failed()
    {
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var sinkA = new RecordingSink();
        await using var a = Transport(IdA, ClusterId, portA, portB);
        a.Start(sinkA);

        a.Send(new Message { Type = MessageType.MsgSnap, From = IdA, To = IdB, Snapshot = Snapshot.Empty });

        (await sinkA.Snapshots.Reader.ReadAsync().AsTask().WaitAsync(Deadline)).Should().Be((IdB, false));
    }

    [Fact]
    public async Task A_peer_that_hangs_up_is_dialed_again_even_when_there_is_nothing_to_send()
    {
        var portA = FreePort.Next();
        using var fakePeer = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        fakePeer.Start();
        var portB = ((IPEndPoint)fakePeer.LocalEndpoint).Port;
        await using var a = Transport(IdA, ClusterId, portA, portB);
        a.Start(new RecordingSink());

        using (var first = await fakePeer.AcceptTcpClientAsync().WaitAsync(Deadline))
        {
            var handshake = await PeerFrame.ReadAsync(first.GetStream(), CancellationToken.None);
            handshake!.Value.Kind.Should().Be(PeerFrameKind.Handshake);
        }

        using var second = await fakePeer.AcceptTcpClientAsync().WaitAsync(Deadline);
        var again = await PeerFrame.ReadAsync(second.GetStream(), CancellationToken.None);
        PeerHandshake.Decode(again!.Value.Payload).MemberId.Should().Be(IdA);
    }

    [Fact]
    public async Task A_connection_that_sends_no_handshake_is_closed_after_the_handshake_timeout()
    {
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var logA = new RecordingLogger();
        await using var a = Transport(IdA, ClusterId, portA, portB, logA, handshakeTimeout: TimeSpan.FromMilliseconds(300));
        a.Start(new RecordingSink());

        // One says nothing; the other starts a frame and never finishes it.
        using var silent = new System.Net.Sockets.TcpClient();
        await silent.ConnectAsync(IPAddress.Loopback, portA);
        using var partial = new System.Net.Sockets.TcpClient();
        await partial.ConnectAsync(IPAddress.Loopback, portA);
        await partial.GetStream().WriteAsync(new byte[] { 0, 0, 0, 9 });

        foreach (var client in new[] { silent, partial })
        {
            var buffer = new byte[16];
            (await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(Deadline)).Should().Be(0, "the member hangs up on a connection that never shakes hands");
        }

        logA.Lines.Should().Contain(line => line.Contains("no handshake within 0.3 s", StringComparison.Ordinal));
    }

    /// <summary>
    /// A transport that knows both members, with its peer dialed at <paramref name="peerPort"/> (and this one's own peer
    /// URL naming <paramref name="listenPort"/>).
    /// </summary>
    private static PeerTransport Transport(ulong id, ulong clusterId, int listenPort, int peerPort, ILogger? logger = null, TimeSpan? handshakeTimeout = null)
    {
        var transport = new PeerTransport(
            new PeerTransportOptions
            {
                LocalHandshake = new PeerHandshake(id, clusterId, id == IdA ? "a" : "b", [id == IdA ? "http://client-a:2379" : "http://client-b:2379"]),
                ListenAddress = new IPEndPoint(IPAddress.Loopback, listenPort),
                InitialBackoff = TimeSpan.FromMilliseconds(10),
                MaxBackoff = TimeSpan.FromMilliseconds(100),
                HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(10),
            },
            logger ?? NullLogger.Instance);
        var (portA, portB) = id == IdA ? (listenPort, peerPort) : (peerPort, listenPort);
        transport.UpdateRoster(new PeerRoster(
            id,
            [new PeerMember(IdA, "a", [$"http://127.0.0.1:{portA}"]), new PeerMember(IdB, "b", [$"http://127.0.0.1:{portB}"])],
            new HashSet<ulong>()));
        return transport;
    }

    /// <summary>Sends heartbeats until one arrives (each waited for briefly, as a dropped one never comes).</summary>
    private static async Task ConnectAsync(PeerTransport from, RecordingSink to)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            from.Send(new Message { Type = MessageType.MsgHeartbeat, From = IdA, To = IdB });
            try
            {
                // WaitToReadAsync, not ReadAsync: a read left pending by the timeout would swallow a later message.
                await to.Messages.Reader.WaitToReadAsync().AsTask().WaitAsync(TimeSpan.FromMilliseconds(500), deadline.Token);
                return;
            }
            catch (TimeoutException)
            {
            }
        }
    }

    private sealed class RecordingSink : IPeerMessageSink
    {
        public System.Threading.Channels.Channel<Message> Messages { get; } = System.Threading.Channels.Channel.CreateUnbounded<Message>();

        public System.Threading.Channels.Channel<ulong> Unreachable { get; } = System.Threading.Channels.Channel.CreateUnbounded<ulong>();

        public System.Threading.Channels.Channel<(ulong, bool)> Snapshots { get; } = System.Threading.Channels.Channel.CreateUnbounded<(ulong, bool)>();

        public void DeliverPeerMessage(Message message) => Messages.Writer.TryWrite(message);

        public void ReportPeerUnreachable(ulong memberId) => Unreachable.Writer.TryWrite(memberId);

        public void ReportSnapshotStatus(ulong memberId, bool succeeded) => Snapshots.Writer.TryWrite((memberId, succeeded));
    }

    private sealed class RecordingLogger : ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public TaskCompletionSource Mismatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource RefusedByPeer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Lines.Enqueue(formatter(state, exception));
            if (eventId.Id == 3003)
            {
                Mismatch.TrySetResult();
            }

            if (eventId.Id == 3015)
            {
                RefusedByPeer.TrySetResult();
            }
        }
    }
}
