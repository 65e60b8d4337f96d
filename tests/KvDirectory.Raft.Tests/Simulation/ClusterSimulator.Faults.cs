using KvDirectory.Raft;

namespace KvDirectory.Raft.Tests.Simulation;

/// <summary>The faults of the chaos phase: partitions, crashes and restarts, compaction, membership changes, leadership transfers.</summary>
internal sealed partial class ClusterSimulator
{
    private void Chaos()
    {
        if (Chance(_options.ProposeRate)) Propose(_nextProposal++);
        if (Chance(_options.ReadIndexRate)) IssueRead();
        if (Chance(_options.PartitionRate)) Partition();
        if (Chance(_options.HealRate))
        {
            Record("heal");
            Count("heal");
            _network.Heal();
        }
        if (Chance(_options.CrashRate)) Crash();
        if (Chance(_options.RestartRate)) Restart();
        if (Chance(_options.CompactRate)) Compact();
        if (Chance(_options.ConfChangeRate)) ChangeMembership();
        if (Chance(_options.TransferRate)) TransferLeadership();
        if (_now % 30 == 0) RetryPendingProposals();
    }

    private void Partition()
    {
        var ids = _nodes.Keys.ToArray();
        switch (_random.Next(3))
        {
            case 0:
            {
                var leader = CurrentLeader();
                if (leader is null) goto case 1;
                Record($"isolate leader {leader.Id}");
                Count("isolate leader");
                _network.Partition([leader.Id], ids.Where(i => i != leader.Id).ToArray());
                break;
            }
            case 1:
            {
                var shuffled = ids.OrderBy(_ => _random.Next()).ToArray();
                var cut = 1 + _random.Next(ids.Length - 1);
                Record($"partition {string.Join(',', shuffled[..cut])} | {string.Join(',', shuffled[cut..])}");
                Count("partition");
                _network.Partition(shuffled[..cut], shuffled[cut..]);
                break;
            }
            default:
            {
                var from = ids[_random.Next(ids.Length)];
                var to = ids[_random.Next(ids.Length)];
                if (from == to) return;
                Record($"block one way {from} -> {to}");
                Count("one-way block");
                _network.Block(from, to);
                break;
            }
        }
    }

    private void Crash()
    {
        var node = RandomUpNode();
        if (node is null) return;
        Record($"crash {node.Id}");
        Count("crash");
        node.Crash();
    }

    private void Restart()
    {
        var down = _nodes.Values.Where(n => !n.IsUp && !n.Retired).ToArray();
        if (down.Length == 0) return;
        var node = down[_random.Next(down.Length)];
        Record($"restart {node.Id}");
        Count("restart");
        node.Start();
    }

    private void Compact()
    {
        var node = RandomUpNode();
        // Sometimes keep a short tail so both catch-up paths (entries and snapshot) are exercised.
        if (node is not null) Compact(node, (ulong)_random.Next(3));
    }

    private void Compact(SimulatedNode node, ulong keep)
    {
        var snapshotIndex = node.Disk.Snapshot().Metadata.Index;
        if (node.Applied <= snapshotIndex || node.Applied < node.Disk.FirstIndex()) return;
        node.Disk.CreateSnapshot(node.Applied, node.Conf, node.EncodeSnapshotData());
        var compactTo = node.Applied > keep ? node.Applied - keep : node.Applied;
        if (compactTo >= node.Disk.FirstIndex()) node.Disk.Compact(compactTo);
        Record($"node {node.Id} snapshot at {node.Applied}, compacted to {compactTo}");
        Count("snapshot + compaction");
    }

    private void ChangeMembership()
    {
        var leader = CurrentLeader();
        if (leader is null) return;
        var conf = leader.Conf;
        var outsiders = _nodes.Keys.Where(id => !conf.Voters.Contains(id) && !conf.Learners.Contains(id) && !_nodes[id].Retired && !leader.RemovedPeers.Contains(id)).ToArray();
        ConfChange change;
        if (conf.Learners.Count > 0) change = new ConfChange(ConfChangeType.AddNode, conf.Learners[0]);
        else if (outsiders.Length > 0 && _random.Next(2) == 0) change = new ConfChange(ConfChangeType.AddLearnerNode, outsiders[_random.Next(outsiders.Length)]);
        else if (conf.Voters.Count > 3) change = new ConfChange(ConfChangeType.RemoveNode, conf.Voters[_random.Next(conf.Voters.Count)]);
        else if (outsiders.Length > 0) change = new ConfChange(ConfChangeType.AddLearnerNode, outsiders[_random.Next(outsiders.Length)]);
        else return;
        Record($"propose {change.Type} {change.NodeId} at leader {leader.Id}");
        Count($"propose {change.Type}");
        leader.Raft!.TryProposeConfChange(change);
    }

    private void TransferLeadership()
    {
        var leader = CurrentLeader();
        if (leader is null) return;
        var voters = leader.Conf.Voters.Where(v => v != leader.Id).ToArray();
        if (voters.Length == 0) return;
        var to = voters[_random.Next(voters.Length)];
        Record($"transfer leadership {leader.Id} -> {to}");
        Count("leadership transfer");
        leader.Raft!.TransferLeadership(to);
    }
}
