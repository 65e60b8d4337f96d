using System.Buffers.Binary;
using KvDirectory.Raft;

namespace KvDirectory.Raft.Tests.Simulation;

/// <summary>
/// Runs one seeded scenario: a cluster under a hostile network, crashes, compaction, membership changes
/// and client traffic, then a healed phase that must reach a leader and commit every pending proposal.
/// </summary>
internal sealed partial class ClusterSimulator
{
    private readonly SimulationOptions _options;
    private readonly Random _random;
    private readonly VirtualNetwork _network;
    private readonly SortedDictionary<ulong, SimulatedNode> _nodes = [];
    private readonly SafetyChecker _checker = new();
    private readonly Dictionary<ulong, (ulong Term, long Tick)> _pendingProposals = [];
    private readonly Queue<string> _trace = new();
    private ulong _nextProposal = 1;
    private ulong _nextRead = 1;
    private long _now;
    private bool _inChaos;

    public ClusterSimulator(SimulationOptions options)
    {
        _options = options;
        _random = new Random(options.Seed);
        _network = new VirtualNetwork(_random)
        {
            DropRate = options.DropRate, DuplicateRate = options.DuplicateRate, MaxDelay = options.MaxDelay,
        };
        var voters = Enumerable.Range(1, options.Voters).Select(i => (ulong)i).ToArray();
        for (var i = 1; i <= options.Voters + options.Spares; i++)
        {
            var id = (ulong)i;
            _nodes[id] = new SimulatedNode(id, i <= options.Voters ? voters : [], options, options.Seed);
        }
        // A bootstrap is durable before the member talks to anyone: a member that lost it would replay
        // the initial membership one entry at a time and could briefly believe it is the only voter.
        foreach (var node in _nodes.Values) ProcessReady(node);
    }

    public int Committed => (int)_checker.MaxApplied;

    public int ReadsAnswered => _checker.ReadsAnswered;

    /// <summary>The faults and events this scenario injected, by kind (printed per CI batch as the fault mix).</summary>
    public Dictionary<string, int> Mix { get; } = new(StringComparer.Ordinal);

    /// <summary>How often a leader applied its own removal (the path seed 3513354 once found stuck).</summary>
    public int LeaderSelfRemovals { get; private set; }

    public string TraceTail => string.Join(Environment.NewLine, _trace);

    public void Run()
    {
        _inChaos = true;
        for (var i = 0; i < _options.ChaosTicks; i++)
        {
            Chaos();
            Step();
        }
        _inChaos = false;
        Heal();
        for (var i = 0; i < _options.LivenessTicks; i++)
        {
            if (i % 20 == 0) RetryPendingProposals();
            if (i % 7 == 0) IssueRead();
            Step();
            if (_pendingProposals.Count == 0 && AllMembersCaughtUp()) return;
        }
        var leader = CurrentLeader();
        throw new SimulationFailure(
            $"not live after {_options.LivenessTicks} healed ticks: leader={leader?.Id.ToString() ?? "none"}, " +
            $"{_pendingProposals.Count} proposals pending, applied=[{string.Join(' ', _nodes.Values.Select(n => $"{n.Id}:{n.Applied}"))}], " +
            $"leader progress=[{string.Join("; ", leader?.Raft!.Status().Progress.Select(p => $"{p.Key}: {p.Value}") ?? [])}], " +
            $"snapshots=[{string.Join(' ', _nodes.Values.Select(n => $"{n.Id}:{n.Disk.Snapshot().Metadata.Index}({n.Disk.Snapshot().Metadata.ConfState})"))}]");
    }

    private void Heal()
    {
        Record("heal all, restart all, stop losing messages");
        _network.Heal();
        _network.DropRate = 0;
        _network.DuplicateRate = 0;
        foreach (var node in _nodes.Values)
        {
            if (!node.IsUp && !node.Retired) node.Start();
        }
    }

    private void Step()
    {
        _now++;
        foreach (var node in _nodes.Values)
        {
            node.Raft?.Tick();
            if (node.RetiresIn is { } left && node.IsUp && (node.RetiresIn = left - 1) < 0)
            {
                Record($"removed member {node.Id} shuts down");
                Count("removed member shut down");
                node.Retire();
            }
        }
        var lost = new List<Message>();
        foreach (var m in _network.TakeDue(_now, lost)) Deliver(m);
        foreach (var m in lost) ReportLost(m);
        foreach (var node in _nodes.Values) ProcessReady(node);
        _checker.CheckLeaders(_nodes.Values);
        foreach (var node in _nodes.Values) _checker.CheckCommitted(node);
    }

    private void Deliver(Message m)
    {
        // Like etcd's peer transport (and ours), a member refuses traffic from a member it has itself applied the
        // removal of — by its own applied membership, never by what other members already know: a member that
        // has not applied the removal yet still counts the removed one as a voter and needs its votes.
        if (!_nodes.TryGetValue(m.To, out var target) || target.Raft is not { } raft || target.RemovedPeers.Contains(m.From))
        {
            ReportLost(m);
            return;
        }
        if (Verbose) Record($"deliver {m}");
        raft.Step(m);
        if (m.Type == MessageType.MsgSnap && _nodes[m.From].Raft is { } sender) sender.ReportSnapshot(m.To, succeeded: true);
    }

    private void ReportLost(Message m)
    {
        if (!_nodes.TryGetValue(m.From, out var sender) || sender.Raft is not { } raft) return;
        if (m.Type == MessageType.MsgSnap) raft.ReportSnapshot(m.To, succeeded: false);
        else if (m.Type == MessageType.MsgApp) raft.ReportUnreachable(m.To);
    }

    /// <summary>Drives one node's Ready loop as the server will: persist, send, apply, advance.</summary>
    private void ProcessReady(SimulatedNode node)
    {
        while (node.Raft is { } raft && raft.HasReady())
        {
            var ready = raft.GetReady();
            if (ready.Snapshot is { } snapshot) node.Disk.ApplySnapshot(snapshot);
            node.Disk.Append(ready.Entries);
            if (ready.HardState is { } hs) node.Disk.SetHardState(hs);
            if (_inChaos && Chance(_options.CrashRate / 4))
            {
                // Crash between the fsync and the sends: the state is durable, nobody heard of it.
                Record($"crash {node.Id} after persisting, before sending");
                Count("crash after persist, before send");
                node.Crash();
                return;
            }
            foreach (var m in ready.Messages)
            {
                // A member hangs up on the members it has removed, so nothing more is sent to them.
                if (node.RemovedPeers.Contains(m.To) || !_network.Send(_now, m)) ReportLost(m);
            }
            if (ready.Snapshot is { } applied)
            {
                _checker.OnSnapshotApplied(node, applied);
                node.OnSnapshotRestored(applied);
            }
            foreach (var entry in ready.CommittedEntries) Apply(node, raft, entry);
            foreach (var read in ready.ReadStates) _checker.OnReadAnswered(node, read);
            raft.Advance(ready);
            // Like etcd's --snapshot-count: snapshots are taken regularly, so a member added after the
            // last snapshot eventually receives one that includes it.
            if (node.Applied >= node.Disk.Snapshot().Metadata.Index + (ulong)_options.SnapshotCount) Compact(node, keep: 5);
        }
    }

    private void Apply(SimulatedNode node, RawNode raft, Entry entry)
    {
        _checker.OnApply(node, entry);
        node.Applied = entry.Index;
        if (entry.Type == EntryType.ConfChange)
        {
            var change = ConfChange.Decode(entry.Data.Span);
            var selfRemoval = change.Type == ConfChangeType.RemoveNode && change.NodeId == node.Id;
            if (selfRemoval && raft.Raft.Role == StateRole.Leader)
            {
                LeaderSelfRemovals++;
                Count("leader applied its own removal");
            }
            node.Conf = raft.ApplyConfChange(change);
            node.OnConfChangeApplied(change);
            if (selfRemoval) node.RetiresIn ??= _options.RemovedMemberLingerTicks;
            Record($"node {node.Id} applied {change.Type} {change.NodeId} at {entry.Index}: {node.Conf}");
        }
        else if (entry.Data.Length >= 8)
        {
            _pendingProposals.Remove(BinaryPrimitives.ReadUInt64LittleEndian(entry.Data.Span));
        }
    }

    private void Propose(ulong id)
    {
        var node = RandomUpNode();
        _pendingProposals[id] = (node?.Raft!.Raft.Term ?? 0, _now);
        if (node is null) return;
        // Payloads of varying size make batching split at the message size bound.
        var data = new byte[8 + _random.Next(24)];
        BinaryPrimitives.WriteUInt64LittleEndian(data, id);
        node.Raft!.TryPropose(data);
    }

    /// <summary>
    /// Clients retry what did not commit: a proposal may be lost with a deposed leader's log. Like a real
    /// client they retry after a leader change or a long timeout, not while the leader is still working.
    /// </summary>
    private void RetryPendingProposals()
    {
        var leader = CurrentLeader();
        if (leader is null) return;
        var term = leader.Raft!.Raft.Term;
        foreach (var (id, (proposedTerm, tick)) in _pendingProposals.OrderBy(p => p.Key).Take(32).ToArray())
        {
            if (proposedTerm >= term && _now - tick < 150) continue;
            var data = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(data, id);
            leader.Raft.TryPropose(data);
            _pendingProposals[id] = (term, _now);
        }
    }

    private void IssueRead()
    {
        var node = RandomUpNode();
        if (node is null) return;
        var context = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(context, _nextRead++);
        _checker.OnReadIssued(context);
        if (!node.Raft!.ReadIndex(context)) _checker.ForgetRead(context);
    }

    private bool AllMembersCaughtUp()
    {
        var leader = CurrentLeader();
        if (leader is null) return false;
        var commit = leader.Raft!.Raft.Log.Committed;
        var conf = leader.Raft.Raft.Tracker.Config;
        return conf.Voters.Concat(conf.Learners).All(id => _nodes[id].Applied >= commit);
    }

    private SimulatedNode? CurrentLeader()
    {
        SimulatedNode? best = null;
        foreach (var node in _nodes.Values)
        {
            if (node.Raft is { } raft && raft.Raft.Role == StateRole.Leader && (best is null || raft.Raft.Term > best.Raft!.Raft.Term))
                best = node;
        }
        return best;
    }

    private SimulatedNode? RandomUpNode()
    {
        var up = _nodes.Values.Where(n => n.IsUp).ToArray();
        return up.Length == 0 ? null : up[_random.Next(up.Length)];
    }

    /// <summary>RAFT_SIM_VERBOSE=1 traces every delivered message (for replaying a failing seed).</summary>
    private static bool Verbose { get; } = Environment.GetEnvironmentVariable("RAFT_SIM_VERBOSE") == "1";

    private bool Chance(double p) => _random.NextDouble() < p;

    private void Count(string kind) => Mix[kind] = Mix.GetValueOrDefault(kind) + 1;

    private void Record(string what)
    {
        _trace.Enqueue($"t={_now} {what}");
        while (_trace.Count > (Verbose ? 5000 : 40)) _trace.Dequeue();
    }
}
