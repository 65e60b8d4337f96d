using KvDirectory.Node.Loop;
using KvDirectory.Node.Membership;
using KvDirectory.Store;

namespace KvDirectory.Node.Tests.Simulation;

/// <summary>
/// Runs one seeded scenario with real nodes: client writes, a hostile network, crashes at every point of the loop and
/// power cuts anywhere on the disk (WAL, snapshot save, compaction, restart), members added and removed (the leader
/// too); then a healed phase in which every member of the final membership must restart from its disk, agree, and hold
/// every acknowledged write, and every removed member must have stopped. Single-threaded and deterministic:
/// each step moves the clock, delivers due messages, runs one loop iteration per member and, now and then, their
/// background snapshot work.
/// </summary>
internal sealed class NodeSimulator
{
    private readonly NodeSimulationOptions _options;
    private readonly Random _random;
    private readonly StepClock _clock = new();
    private readonly SimulatedPeerNetwork _network;
    private readonly List<SimulatedMember> _members = [];
    private readonly Queue<string> _trace = new();
    private readonly ChaosMonkey _monkey;
    private readonly HashSet<ulong> _caughtUp = [];
    private long _step;

    public NodeSimulator(NodeSimulationOptions options)
    {
        _options = options;
        _random = new Random(options.Seed);
        _network = new SimulatedPeerNetwork(_random) { DropRate = options.DropRate, MaxDelay = options.MaxDelay };
        _monkey = new ChaosMonkey(this);
        Membership = new MembershipOperator(this);
        Clients = new ClientWorkload(_random);
        var cluster = Enumerable.Range(1, options.Members)
            .Select(i => new ClusterMember(MemberId.Compute([$"http://m{i}:2380"], "simulation"), $"m{i}", [$"http://m{i}:2380"], [$"http://m{i}:2379"]))
            .ToArray();
        var clusterId = MemberId.ComputeClusterId([.. cluster.Select(m => m.Id)]);
        foreach (var member in cluster)
        {
            _members.Add(new SimulatedMember(new ClusterState(clusterId, member.Id, cluster), _clock, _network.Join(member.Id), options));
        }
    }

    public ClientWorkload Clients { get; }

    public MembershipOperator Membership { get; }

    public HistoryChecker Checker { get; } = new();

    /// <summary>Faults injected and crash points hit, by kind (summed into the fault mix each CI run prints).</summary>
    public Dictionary<string, int> Mix { get; } = new(StringComparer.Ordinal);

    public string TraceTail => string.Join(Environment.NewLine, _trace);

    public void Run()
    {
        foreach (var member in _members)
        {
            Start(member);
        }

        for (var i = 0; i < _options.ChaosSteps; i++)
        {
            _monkey.Act();
            Step();
        }

        Heal();
        ProposalInput? marker = null;
        for (var i = 0; i < _options.HealedSteps; i++)
        {
            Membership.FollowUp();
            if (i % 100 == 0 && marker?.Completion.Task.IsCompletedSuccessfully != true && Leader() is { } leader)
            {
                marker = leader.Node!.Submit(new SetCommand("/marker", false, $"healed at step {_step}", null, false));
            }

            Step();
            if (marker?.Completion.Task.IsCompletedSuccessfully == true && AllCaughtUp())
            {
                foreach (var member in _members.Where(m => m.IsUp))
                {
                    Clients.CheckNothingAcknowledgedWasLost(member);
                }

                return;
            }
        }

        throw new SimulationFailure(
            $"not live after {_options.HealedSteps} healed steps: leader {Leader()?.Id.ToString("x") ?? "none"}, marker {(marker is null ? "never proposed" : marker.Completion.Task.Status)}, " +
            $"final members {(Leader()?.Cluster!.Current is { } final ? string.Join(',', final.Members.Select(m => m.Id.ToString("x"))) : "unknown")}, " +
            $"members [{string.Join("; ", _members.Select(m => $"{m.Id:x}: {(m.Node is { } n ? $"{n.Status} applied {n.AppliedIndex}" : m.Retired ? "retired" : "down")}"))}]");
    }

    internal IReadOnlyList<SimulatedMember> Members => _members;

    internal SimulatedPeerNetwork Network => _network;

    internal NodeSimulationOptions Options => _options;

    internal StepClock Clock => _clock;

    internal bool Chance(double p) => _random.NextDouble() < p;

    internal int Next(int max) => _random.Next(max);

    internal SimulatedMember? RandomUpMember()
    {
        var up = _members.Where(m => m.IsUp).ToArray();
        return up.Length == 0 ? null : up[_random.Next(up.Length)];
    }

    internal SimulatedMember? Leader() =>
        _members.Where(m => m.Node?.Status.Role == NodeRole.Leader).MaxBy(m => m.Node!.Status.Term);

    /// <summary>Opens the member's data dir; a power cut may land in the middle of that, too.</summary>
    internal void Start(SimulatedMember member)
    {
        Record($"start {member.Id:x}");
        try
        {
            member.Start();
        }
        catch (Exception) when (member.Disk.PowerLost)
        {
        }
        catch (Exception error)
        {
            throw new SimulationFailure($"member {member.Id:x} does not start from what its disk kept: {error}");
        }

        if (member.Disk.PowerLost)
        {
            Crash(member, CrashPoints.OfPowerCut(member.Disk.PowerFailedIn), powerLoss: true);
        }
    }

    /// <summary>A member added at runtime starts with the member list it fetched, and joins.</summary>
    internal void Join(ClusterState fetched)
    {
        var member = new SimulatedMember(fetched, _clock, _network.Join(fetched.LocalMemberId), _options, joining: true);
        _members.Add(member);
        Count("membership: new member started");
        Start(member);
    }

    internal void Crash(SimulatedMember member, string point, bool powerLoss)
    {
        var kind = $"crash: {point}{(powerLoss ? " (power lost)" : " (page cache kept)")}";
        Count(kind);
        Record($"{kind} on {member.Id:x}");
        Clients.Forget(member);
        member.Crash(powerLoss);
    }

    internal void Count(string kind) => Mix[kind] = Mix.GetValueOrDefault(kind) + 1;

    internal void Record(string what)
    {
        _trace.Enqueue($"step {_step}: {what}");
        while (_trace.Count > 60)
        {
            _trace.Dequeue();
        }
    }

    private void Step()
    {
        _step++;
        _clock.AdvanceMilliseconds(_options.StepMilliseconds);
        RetireRemoved();
        _network.Now = _step;
        _network.DeliverDue();
        foreach (var member in _members.Where(m => m.IsUp).ToArray())
        {
            RunIteration(member);
        }

        RetireRemoved();

        foreach (var member in _members.Where(m => m.IsUp && m.Background.HasWork))
        {
            if (Chance(_options.BackgroundRate))
            {
                member.Background.RunAll();
                if (member.Disk.PowerLost)
                {
                    Crash(member, CrashPoints.OfPowerCut(member.Disk.PowerFailedIn), powerLoss: true);
                }
            }
        }
    }

    /// <summary>One iteration of the member's production loop; a crash in it leaves only what its disk kept.</summary>
    private void RunIteration(SimulatedMember member)
    {
        try
        {
            member.Node!.Loop.RunOnce();
        }
        catch (SimulatedCrash crash)
        {
            // Answers given before the crash (by earlier Readies of this iteration) were real answers.
            Clients.CollectAnswers(member);
            Crash(member, crash.Point, Chance(_options.PowerLossShare));
            return;
        }
        catch (Exception) when (member.Disk.PowerLost)
        {
        }

        if (member.Disk.PowerLost)
        {
            // The machine died during this iteration; what the ghost answered afterwards never reached a client.
            Crash(member, CrashPoints.OfPowerCut(member.Disk.PowerFailedIn), powerLoss: true);
            return;
        }

        Clients.CollectAnswers(member);
        Checker.Observe(member);
        if (member.Joining && member.Node!.AppliedIndex > 0 && _caughtUp.Add(member.Id))
        {
            Count($"membership: new member caught up by {(member.Endpoint.SnapshotsReceived > 0 ? "a snapshot" : "the log")}");
        }
    }

    /// <summary>A member whose node told the host it is out of the cluster shuts down, as the server does.</summary>
    private void RetireRemoved()
    {
        foreach (var member in _members.Where(m => m.IsUp && m.RemovalAnnounced))
        {
            Count("membership: removed member shut down");
            Record($"removed member {member.Id:x} shuts down");
            Clients.Forget(member);
            member.Retire();
        }
    }

    private void Heal()
    {
        Record("heal: network healed and lossless, no more faults, every member restarted");
        _network.Heal();
        _network.DropRate = 0;
        foreach (var member in _members)
        {
            member.Endpoint.BeforeSend = null;
            member.Disk.KeepPower();
            if (!member.IsUp && !member.Retired)
            {
                Start(member);
            }
        }
    }

    /// <summary>Every member of the final membership is up at the leader's commit index; every other member has stopped.</summary>
    private bool AllCaughtUp()
    {
        if (Leader() is not { } leader)
        {
            return false;
        }

        var final = leader.Cluster!.Current.Members.Select(m => m.Id).ToHashSet();
        var commit = (ulong)leader.Node!.Status.CommitIndex;
        return final.All(id => _members.Find(m => m.Id == id) is { Node: { } node } && node.AppliedIndex == commit)
            && _members.All(m => !m.IsUp || final.Contains(m.Id));
    }
}
