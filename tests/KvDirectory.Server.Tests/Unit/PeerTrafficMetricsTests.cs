using System.Buffers;
using System.Net;
using System.Net.Sockets;
using KvDirectory.Raft;
using KvDirectory.Server.Metrics;
using KvDirectory.Testing;
using KvDirectory.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Server.Tests.Unit;

/// <summary>The transport feeds the per-peer byte and failure counters of <c>/metrics</c>.</summary>
public sealed class PeerTrafficMetricsTests
{
    private const ulong ClusterId = 0xc1;
    private const ulong IdA = 0xa;
    private const ulong IdB = 0xb;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Bytes_are_counted_on_both_sides_of_a_delivered_message()
    {
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var (trafficA, trafficB) = (new PeerTrafficMetrics(), new PeerTrafficMetrics());
        var sinkB = new CountingSink();
        await using var a = Transport(IdA, portA, portB, trafficA);
        await using var b = Transport(IdB, portB, portA, trafficB);
        a.Start(new CountingSink());
        b.Start(sinkB);

        var message = new Message { Type = MessageType.MsgHeartbeat, From = IdA, To = IdB, Term = 2 };
        a.Send(message);

        await WaitUntilAsync(() => sinkB.Delivered > 0 && Count(trafficA.SentBytes, IdB) > 0);
        var frame = PeerFrame.HeaderSize + RaftCodec.EncodeMessage(message).Length;
        Count(trafficB.ReceivedBytes, IdA).Should().Be(frame);
        Count(trafficA.SentBytes, IdB).Should().Be(frame);
        Count(trafficA.SentFailures, IdB).Should().Be(0);
        Count(trafficB.ReceivedFailures, IdA).Should().Be(0);
    }

    [Fact]
    public async Task Dialing_a_peer_nobody_listens_for_counts_send_failures()
    {
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var traffic = new PeerTrafficMetrics();
        await using var a = Transport(IdA, portA, portB, traffic);
        a.Start(new CountingSink());

        a.Send(new Message { Type = MessageType.MsgApp, From = IdA, To = IdB });

        await WaitUntilAsync(() => Count(traffic.SentFailures, IdB) > 0);
    }

    [Fact]
    public async Task An_inbound_connection_that_breaks_protocol_after_its_handshake_counts_a_receive_failure()
    {
        var portB = FreePort.Next();
        var traffic = new PeerTrafficMetrics();
        await using var b = Transport(IdB, portB, FreePort.Next(), traffic);
        b.Start(new CountingSink());

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, portB);
        var frames = new ArrayBufferWriter<byte>();
        PeerFrame.Write(frames, PeerFrameKind.Handshake, new PeerHandshake(IdA, ClusterId, "a", []).Encode());
        PeerFrame.Write(frames, PeerFrameKind.SnapshotAck, []);
        await client.GetStream().WriteAsync(frames.WrittenMemory);

        await WaitUntilAsync(() => Count(traffic.ReceivedFailures, IdA) == 1);
    }

    private static long Count(IEnumerable<KeyValuePair<ulong, long>> counters, ulong member) =>
        counters.FirstOrDefault(pair => pair.Key == member).Value;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the counters should have moved by now");
            await Task.Delay(10);
        }
    }

    private static PeerTransport Transport(ulong id, int listenPort, int peerPort, IPeerTrafficObserver traffic)
    {
        var transport = new PeerTransport(
            new PeerTransportOptions
            {
                LocalHandshake = new PeerHandshake(id, ClusterId, id == IdA ? "a" : "b", []),
                ListenAddress = new IPEndPoint(IPAddress.Loopback, listenPort),
                InitialBackoff = TimeSpan.FromMilliseconds(10),
                MaxBackoff = TimeSpan.FromMilliseconds(100),
                Traffic = traffic,
            },
            NullLogger.Instance);
        var (portA, portB) = id == IdA ? (listenPort, peerPort) : (peerPort, listenPort);
        transport.UpdateRoster(new PeerRoster(
            id,
            [new PeerMember(IdA, "a", [$"http://127.0.0.1:{portA}"]), new PeerMember(IdB, "b", [$"http://127.0.0.1:{portB}"])],
            new HashSet<ulong>()));
        return transport;
    }

    private sealed class CountingSink : IPeerMessageSink
    {
        private int _delivered;

        public int Delivered => Volatile.Read(ref _delivered);

        public void DeliverPeerMessage(Message message) => Interlocked.Increment(ref _delivered);

        public void ReportPeerUnreachable(ulong memberId)
        {
        }

        public void ReportSnapshotStatus(ulong memberId, bool succeeded)
        {
        }
    }
}
