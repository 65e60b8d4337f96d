using KvDirectory.Node.Membership;
using KvDirectory.Node.Tests.Simulation;
using KvDirectory.Raft;

namespace KvDirectory.Node.Tests;

/// <summary>
/// Real members of the simulation's kind, stepped in lock step over its in-memory network without faults; every
/// message a member sends is recorded (<see cref="Sent"/>) and can be watched as it goes (<see cref="BeforeSend"/>).
/// </summary>
internal sealed class SteppedCluster
{
    private const int MaxSteps = 400;

    private readonly StepClock _clock = new();
    private readonly List<SimulatedMember> _members = [];
    private readonly int _seed;
    private long _step;

    public SteppedCluster(int seed, int members = 3)
    {
        _seed = seed;
        var options = new NodeSimulationOptions { Seed = seed };
        Network = new SimulatedPeerNetwork(new Random(seed));
        var cluster = Enumerable.Range(1, members)
            .Select(i => new ClusterMember(MemberId.Compute([$"http://m{i}:2380"], "reads"), $"m{i}", [$"http://m{i}:2380"], [$"http://m{i}:2379"]))
            .ToArray();
        var clusterId = MemberId.ComputeClusterId([.. cluster.Select(m => m.Id)]);
        foreach (var member in cluster)
        {
            var simulated = new SimulatedMember(new ClusterState(clusterId, member.Id, cluster), _clock, Network.Join(member.Id), options);
            simulated.Endpoint.BeforeSend = message =>
            {
                Sent.Add(message);
                BeforeSend?.Invoke(message);
            };
            simulated.Start();
            _members.Add(simulated);
        }
    }

    public SimulatedPeerNetwork Network { get; }

    public List<Message> Sent { get; } = [];

    /// <summary>Called with each message as a member hands it to the network, on that member's loop.</summary>
    public Action<Message>? BeforeSend { get; set; }

    /// <summary>A leader every member follows, with an entry of its term committed and applied everywhere.</summary>
    public SimulatedMember Elect()
    {
        StepUntil(() => Leader() is { } leader
            && _members.All(m => m.Node!.Status.LeaderId == leader.Id && m.Node.AppliedIndex == (ulong)leader.Node!.Status.CommitIndex)
            && leader.Node!.Status.CommitIndex > 0);
        return Leader()!;
    }

    /// <summary><see cref="Elect"/>, and one of the followers.</summary>
    public (SimulatedMember Leader, SimulatedMember Follower) ElectLeader()
    {
        var elected = Elect();
        return (elected, _members.First(m => m != elected));
    }

    /// <summary>Distinct read contexts the leader asked its followers to confirm (periodic heartbeats repeat the last one).</summary>
    public int ReadPointsConfirmedBy(SimulatedMember leader) =>
        Sent.Where(m => m.Type == MessageType.MsgHeartbeat && m.From == leader.Id && !m.Context.IsEmpty)
            .Select(m => Convert.ToHexString(m.Context.Span))
            .Distinct()
            .Count();

    public void Step()
    {
        _step++;
        _clock.AdvanceMilliseconds(50);
        Network.Now = _step;
        Network.DeliverDue();
        foreach (var member in _members.Where(m => m.IsUp))
        {
            member.Node!.Loop.RunOnce();
        }
    }

    public void StepUntil(Func<bool> condition)
    {
        for (var i = 0; i < MaxSteps; i++)
        {
            if (condition())
            {
                return;
            }

            Step();
        }

        throw new TimeoutException($"not reached within {MaxSteps} steps (seed {_seed})");
    }

    private SimulatedMember? Leader() => _members.FirstOrDefault(m => m.Node?.Status.Role == NodeRole.Leader);
}
