using KvDirectory.Raft;
using KvDirectory.Transport;

namespace KvDirectory.Node.Tests.Simulation;

/// <summary>
/// The peer transport in memory, stepped by the simulation: each message is delayed a seeded number of steps (which
/// reorders them), may be dropped, and never crosses a cut link. Like the real transport, a member refuses traffic
/// from members its own applied membership lists as removed (and tells them, at their next message or connection),
/// and reports lost appends and the end of a snapshot send to the sender.
/// </summary>
internal sealed class SimulatedPeerNetwork(Random random)
{
    private readonly List<(long DeliverAt, Message Message)> _inFlight = [];
    private readonly HashSet<(ulong From, ulong To)> _blocked = [];
    private readonly SortedDictionary<ulong, PeerEndpoint> _endpoints = [];

    public double DropRate { get; set; }

    public int MaxDelay { get; set; }

    public long Now { get; set; }

    public PeerEndpoint Join(ulong memberId) => _endpoints[memberId] = new PeerEndpoint(this, memberId);

    /// <summary>Cuts every link between the two groups, both ways.</summary>
    public void Partition(IReadOnlyCollection<ulong> a, IReadOnlyCollection<ulong> b)
    {
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                _blocked.Add((x, y));
                _blocked.Add((y, x));
            }
        }
    }

    public void Block(ulong from, ulong to) => _blocked.Add((from, to));

    public void Heal() => _blocked.Clear();

    /// <summary>Hands every message due by now to its receiver's node (which queues it for its next iteration).</summary>
    public void DeliverDue()
    {
        var due = new List<Message>();
        for (var i = 0; i < _inFlight.Count;)
        {
            if (_inFlight[i].DeliverAt <= Now)
            {
                due.Add(_inFlight[i].Message);
                _inFlight.RemoveAt(i);
            }
            else
            {
                i++;
            }
        }

        foreach (var message in due)
        {
            Deliver(message);
        }

        TellRemovedMembers();
    }

    /// <summary>
    /// As the real transport: a member keeps a connection to every peer it lists, and a peer that applied its removal
    /// says so at the handshake — so a removed member learns it even when it has nothing to send (it learned of its
    /// removal only from a snapshot, say, and no longer campaigns).
    /// </summary>
    private void TellRemovedMembers()
    {
        foreach (var endpoint in _endpoints.Values)
        {
            if (endpoint.Sink is { } sink && endpoint.Roster.Members.Any(peer =>
                    _endpoints.TryGetValue(peer.Id, out var other) && other != endpoint && other.Sink is not null
                    && !_blocked.Contains((endpoint.MemberId, peer.Id)) && other.Roster.RemovedIds.Contains(endpoint.MemberId)))
            {
                sink.ReportRemovedFromCluster();
            }
        }
    }

    internal void Accept(Message message)
    {
        var sender = _endpoints[message.From];
        if (sender.Roster.RemovedIds.Contains(message.To))
        {
            return; // the sender hung up on a member it removed
        }

        if (random.NextDouble() < DropRate)
        {
            ReportLost(sender, message);
            return;
        }

        _inFlight.Add((Now + 1 + random.Next(MaxDelay + 1), message));
    }

    private void Deliver(Message message)
    {
        var sender = _endpoints[message.From];
        if (!_endpoints.TryGetValue(message.To, out var receiver) || receiver.Sink is not { } sink || _blocked.Contains((message.From, message.To)))
        {
            ReportLost(sender, message);
            return;
        }

        if (receiver.Roster.RemovedIds.Contains(message.From))
        {
            // The receiver applied the sender's removal: it refuses, by its own membership, and says why.
            sender.Sink?.ReportRemovedFromCluster();
            return;
        }

        sink.DeliverPeerMessage(message);
        if (message.Type == MessageType.MsgSnap)
        {
            receiver.SnapshotsReceived++;
            sender.Sink?.ReportSnapshotStatus(message.To, succeeded: true);
        }
    }

    private static void ReportLost(PeerEndpoint sender, Message message)
    {
        if (message.Type == MessageType.MsgSnap)
        {
            sender.Sink?.ReportSnapshotStatus(message.To, succeeded: false);
        }
        else if (message.Type == MessageType.MsgApp)
        {
            sender.Sink?.ReportPeerUnreachable(message.To);
        }
    }
}

/// <summary>One member's side of the <see cref="SimulatedPeerNetwork"/>: what its node sends through and what it hears on.</summary>
internal sealed class PeerEndpoint(SimulatedPeerNetwork network, ulong memberId) : IPeerNetwork
{
    public ulong MemberId { get; } = memberId;

    /// <summary>The running node's inbox; null while the member is down.</summary>
    public IPeerMessageSink? Sink { get; set; }

    public PeerRoster Roster { get; private set; } = PeerRoster.Empty;

    /// <summary>Leader snapshots handed to this member's node (tells how a new member caught up).</summary>
    public int SnapshotsReceived { get; set; }

    /// <summary>A crash armed by the simulation: called before each send, throws <see cref="SimulatedCrash"/> to kill the node mid-Ready.</summary>
    public Action<Message>? BeforeSend { get; set; }

    /// <summary>True once the member's machine lost its power: what its node still "sends" goes nowhere.</summary>
    public Func<bool>? Muted { get; set; }

    public void Send(Message message)
    {
        if (Muted?.Invoke() == true)
        {
            return;
        }

        BeforeSend?.Invoke(message);
        network.Accept(message);
    }

    public void UpdateRoster(PeerRoster roster) => Roster = roster;
}
