using KvDirectory.Node.Loop;
using KvDirectory.Node.Membership;
using KvDirectory.Node.Tests.Simulation;
using KvDirectory.Raft;
using KvDirectory.Store;

namespace KvDirectory.Node.Tests;

/// <summary>
/// Linearizable reads share read points: concurrent reads cost one ReadIndex (one heartbeat round on the leader, one
/// forwarded request from a follower), not one each. Three real nodes over the stepped in-memory network of the
/// simulation, lossless and without faults; every message a member sends is recorded.
/// </summary>
public sealed class ReadIndexBatchingTests
{
    private const int Seed = 11;
    private const int MaxSteps = 400;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Concurrent_reads_are_confirmed_by_one_read_point(bool onLeader)
    {
        var cluster = new SteppedCluster(Seed);
        var (leader, follower) = cluster.ElectLeader();
        var target = onLeader ? leader : follower;
        cluster.Sent.Clear();

        var reads = Enumerable.Range(0, 20).Select(_ => target.Node!.SubmitRead()).ToList();
        cluster.StepUntil(() => reads.All(r => r.Completion.Task.IsCompleted));

        reads.Should().OnlyContain(r => r.Completion.Task.IsCompletedSuccessfully);
        cluster.ReadPointsConfirmedBy(leader).Should().Be(1, "the 20 reads arrived together");
        cluster.Sent.Count(m => m.Type == MessageType.MsgReadIndex).Should().Be(onLeader ? 0 : 1, "a follower forwards one request for all of them");
    }

    [Fact]
    public void Reads_that_arrive_while_a_read_point_is_confirmed_share_the_next_one()
    {
        var cluster = new SteppedCluster(Seed);
        var (leader, _) = cluster.ElectLeader();
        cluster.Sent.Clear();

        var first = Enumerable.Range(0, 10).Select(_ => leader.Node!.SubmitRead()).ToList();
        cluster.Step(); // the leader asks its followers to confirm the first read point
        var second = Enumerable.Range(0, 10).Select(_ => leader.Node!.SubmitRead()).ToList();
        cluster.Step();
        second.Should().OnlyContain(r => !r.Completion.Task.IsCompleted, "a read point asked for before they arrived says nothing about them");
        cluster.StepUntil(() => second.All(r => r.Completion.Task.IsCompleted));

        first.Concat(second).Should().OnlyContain(r => r.Completion.Task.IsCompletedSuccessfully);
        cluster.ReadPointsConfirmedBy(leader).Should().Be(2);
    }

    [Fact]
    public void A_read_on_a_follower_waits_until_it_applied_a_write_acknowledged_before_the_read()
    {
        var cluster = new SteppedCluster(Seed);
        var (leader, follower) = cluster.ElectLeader();
        // The follower hears nothing from the leader: the write commits with the other follower alone.
        cluster.Network.Block(leader.Id, follower.Id);
        var write = leader.Node!.Submit(new SetCommand("/k", false, "v", null, false));
        cluster.StepUntil(() => write.Completion.Task.IsCompleted);
        write.Completion.Task.IsCompletedSuccessfully.Should().BeTrue();
        follower.Node!.AppliedIndex.Should().BeLessThan(leader.Node.AppliedIndex);

        var read = follower.Node.SubmitRead();
        for (var i = 0; i < 10; i++)
        {
            cluster.Step();
        }

        read.Completion.Task.IsCompleted.Should().BeFalse("the follower has not applied the write the leader acknowledged");
        cluster.Network.Heal();
        cluster.StepUntil(() => read.Completion.Task.IsCompleted);
        read.Completion.Task.IsCompletedSuccessfully.Should().BeTrue();
        follower.Store!.Get("/k", false, false).Node!.Value.Should().Be("v");
    }

    [Fact]
    public void A_read_point_request_lost_on_the_way_to_the_leader_is_asked_again()
    {
        var cluster = new SteppedCluster(Seed);
        var (leader, follower) = cluster.ElectLeader();
        cluster.Network.Block(follower.Id, leader.Id);
        var reads = Enumerable.Range(0, 5).Select(_ => follower.Node!.SubmitRead()).ToList();
        cluster.Step();
        cluster.Step();
        cluster.Network.Heal();

        cluster.StepUntil(() => reads.All(r => r.Completion.Task.IsCompleted));

        reads.Should().OnlyContain(r => r.Completion.Task.IsCompletedSuccessfully);
        cluster.Sent.Count(m => m.Type == MessageType.MsgReadIndex && m.From == follower.Id).Should().Be(2, "the first request was lost");
    }

    /// <summary>Three members of the simulation's kind, stepped in lock step without faults.</summary>
    private sealed class SteppedCluster
    {
        private readonly StepClock _clock = new();
        private readonly List<SimulatedMember> _members = [];
        private long _step;

        public SteppedCluster(int seed)
        {
            var options = new NodeSimulationOptions { Seed = seed };
            Network = new SimulatedPeerNetwork(new Random(seed));
            var cluster = Enumerable.Range(1, 3)
                .Select(i => new ClusterMember(MemberId.Compute([$"http://m{i}:2380"], "reads"), $"m{i}", [$"http://m{i}:2380"], [$"http://m{i}:2379"]))
                .ToArray();
            var clusterId = MemberId.ComputeClusterId([.. cluster.Select(m => m.Id)]);
            foreach (var member in cluster)
            {
                var simulated = new SimulatedMember(new ClusterState(clusterId, member.Id, cluster), _clock, Network.Join(member.Id), options);
                simulated.Endpoint.BeforeSend = Sent.Add;
                simulated.Start();
                _members.Add(simulated);
            }
        }

        public SimulatedPeerNetwork Network { get; }

        public List<Message> Sent { get; } = [];

        /// <summary>A leader every member follows, with an entry of its term committed and applied everywhere.</summary>
        public (SimulatedMember Leader, SimulatedMember Follower) ElectLeader()
        {
            StepUntil(() => Leader() is { } leader
                && _members.All(m => m.Node!.Status.LeaderId == leader.Id && m.Node.AppliedIndex == (ulong)leader.Node!.Status.CommitIndex)
                && leader.Node!.Status.CommitIndex > 0);
            var elected = Leader()!;
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
            foreach (var member in _members)
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

            throw new TimeoutException($"not reached within {MaxSteps} steps (seed {Seed})");
        }

        private SimulatedMember? Leader() => _members.FirstOrDefault(m => m.Node!.Status.Role == NodeRole.Leader);
    }
}
