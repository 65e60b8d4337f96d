namespace KvDirectory.Node.Tests.Simulation;

/// <summary>The faults and the client traffic of one chaos step, each with its seeded chance.</summary>
internal sealed class ChaosMonkey(NodeSimulator sim)
{
    private NodeSimulationOptions Options => sim.Options;

    public void Act()
    {
        if (sim.Chance(Options.ProposeRate) && sim.RandomUpMember() is { } writeTo)
        {
            sim.Clients.Write(writeTo);
        }

        if (sim.Chance(Options.PartitionRate))
        {
            Partition();
        }

        if (sim.Chance(Options.HealRate))
        {
            sim.Record("heal the network");
            sim.Network.Heal();
        }

        if (sim.Chance(Options.IdleCrashRate) && sim.RandomUpMember() is { } idle)
        {
            sim.Crash(idle, CrashPoints.Idle, sim.Chance(Options.PowerLossShare));
        }

        if (sim.Chance(Options.SendCrashRate) && sim.RandomUpMember() is { } sending)
        {
            sim.Count("crash armed on sends");
            sim.Record($"crash armed on {sending.Id:x}'s sends");
            var node = sending.Node!;
            sending.Endpoint.BeforeSend = CrashPoints.ArmOnSends(() => node.Status.Role);
        }

        if (sim.Chance(Options.DiskCutRate) && sim.RandomUpMember() is { } cut)
        {
            var operations = sim.Next(60);
            sim.Count("power cut armed");
            sim.Record($"power of {cut.Id:x} fails in {operations} disk operations");
            cut.Disk.FailAfter(operations);
        }

        if (sim.Chance(Options.OutageRate))
        {
            sim.Count("power outage of the whole cluster");
            foreach (var member in sim.Members.Where(m => m.IsUp))
            {
                sim.Crash(member, CrashPoints.Outage, powerLoss: true);
            }
        }

        sim.Membership.Act();
        if (sim.Chance(Options.RestartRate) && sim.Members.Where(m => !m.IsUp && !m.Retired).ToArray() is { Length: > 0 } down)
        {
            sim.Count("restart");
            sim.Start(down[sim.Next(down.Length)]);
        }
    }

    private void Partition()
    {
        var ids = sim.Members.Select(m => m.Id).ToArray();
        switch (sim.Next(3))
        {
            case 0 when sim.Leader() is { } leader:
                sim.Count("isolate the leader");
                sim.Record($"isolate leader {leader.Id:x}");
                sim.Network.Partition([leader.Id], [.. ids.Where(id => id != leader.Id)]);
                break;
            case 2:
                var from = ids[sim.Next(ids.Length)];
                var to = ids[sim.Next(ids.Length)];
                if (from != to)
                {
                    sim.Count("one-way block");
                    sim.Record($"block {from:x} -> {to:x}");
                    sim.Network.Block(from, to);
                }

                break;
            default:
                var shuffled = ids.OrderBy(_ => sim.Next(1 << 20)).ToArray();
                var split = 1 + sim.Next(ids.Length - 1);
                sim.Count("partition");
                sim.Record($"partition {string.Join(',', shuffled[..split].Select(i => i.ToString("x")))} | rest");
                sim.Network.Partition(shuffled[..split], shuffled[split..]);
                break;
        }
    }
}
