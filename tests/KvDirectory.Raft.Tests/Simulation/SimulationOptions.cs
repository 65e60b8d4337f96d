namespace KvDirectory.Raft.Tests.Simulation;

/// <summary>The shape of one simulated scenario; everything random is derived from <see cref="Seed"/>.</summary>
internal sealed record SimulationOptions
{
    public required int Seed { get; init; }

    /// <summary>
    /// Varies the protocol options and the hostility of the network with the seed, so the same
    /// one-line reproduction (seed and voters) covers every combination.
    /// </summary>
    public static SimulationOptions ForSeed(int seed, int voters)
    {
        var shape = new Random(unchecked(seed * 486187739 + voters));
        return new SimulationOptions
        {
            Seed = seed,
            Voters = voters,
            PreVote = shape.Next(4) != 0,
            CheckQuorum = shape.Next(4) != 0,
            MaxInflightMsgs = 1 + shape.Next(8),
            MaxSizePerMsg = (ulong)(32 + shape.Next(256)),
            DropRate = shape.Next(3) switch { 0 => 0.0, 1 => 0.05, _ => 0.2 },
            DuplicateRate = shape.Next(2) * 0.05,
            MaxDelay = shape.Next(5),
            CrashRate = shape.Next(2) * 0.02,
            SnapshotCount = 10 + shape.Next(40),
            RemovedMemberLingerTicks = shape.Next(2) * 10,
        };
    }

    public int Voters { get; init; } = 3;

    /// <summary>Members that start outside the configuration and may be added as learners/voters.</summary>
    public int Spares { get; init; } = 1;

    public int ChaosTicks { get; init; } = 150;

    /// <summary>After the chaos: ticks allowed for electing a leader and committing every pending proposal.</summary>
    public int LivenessTicks { get; init; } = 400;

    public int ElectionTick { get; init; } = 10;

    /// <summary>
    /// Ticks a member that applied its own removal keeps running before it shuts down: our server stops at once,
    /// etcd lingers about an election timeout so the others hear the commit from it. Seeds try both.
    /// </summary>
    public int RemovedMemberLingerTicks { get; init; }

    public int HeartbeatTick { get; init; } = 1;

    public ulong MaxSizePerMsg { get; init; } = 64;

    public int MaxInflightMsgs { get; init; } = 4;

    public bool CheckQuorum { get; init; } = true;

    public bool PreVote { get; init; } = true;

    public double DropRate { get; init; } = 0.05;

    public double DuplicateRate { get; init; } = 0.03;

    public int MaxDelay { get; init; } = 3;

    /// <summary>Applied entries after which a member snapshots and compacts on its own.</summary>
    public int SnapshotCount { get; init; } = 30;

    public double ProposeRate { get; init; } = 0.4;

    public double PartitionRate { get; init; } = 0.02;

    public double HealRate { get; init; } = 0.04;

    public double CrashRate { get; init; } = 0.01;

    public double RestartRate { get; init; } = 0.05;

    public double CompactRate { get; init; } = 0.03;

    public double ConfChangeRate { get; init; } = 0.01;

    public double TransferRate { get; init; } = 0.005;

    public double ReadIndexRate { get; init; } = 0.05;
}
