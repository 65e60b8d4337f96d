using KvDirectory.Storage.FileSystem;

namespace KvDirectory.Node.Tests.Simulation;

/// <summary>The shape of one scenario of the node simulation; everything random derives from <see cref="Seed"/>.</summary>
internal sealed record NodeSimulationOptions
{
    public required int Seed { get; init; }

    public int Members { get; init; } = 3;

    /// <summary>Varies the network's hostility, the crash mix and the snapshot cadence with the seed.</summary>
    public static NodeSimulationOptions ForSeed(int seed, int members)
    {
        var shape = new Random(unchecked(seed * 7919 + members));
        return new NodeSimulationOptions
        {
            Seed = seed,
            Members = members,
            DropRate = shape.Next(3) switch { 0 => 0.0, 1 => 0.03, _ => 0.1 },
            MaxDelay = shape.Next(4),
            SnapshotCount = 15 + shape.Next(40),
            SnapshotCatchUpEntries = 3 + shape.Next(15),
            WalSegmentSizeBytes = 4096 * (1 + shape.Next(3)),
            PowerLossShare = shape.Next(4) == 0 ? 0.3 : 0.8,
            MembershipChanges = shape.Next(4),
        };
    }

    /// <summary>Steps of client traffic and faults; each step moves the clock <see cref="StepMilliseconds"/>.</summary>
    public int ChaosSteps { get; init; } = 300;

    /// <summary>After the chaos: steps allowed to elect a leader and bring every member to the same applied index.</summary>
    public int HealedSteps { get; init; } = 1_200;

    public int StepMilliseconds { get; init; } = 50;

    public int HeartbeatMilliseconds { get; init; } = 100;

    public int ElectionMilliseconds { get; init; } = 1_000;

    public double DropRate { get; init; }

    /// <summary>Extra steps a message may take (0: it arrives at the next step).</summary>
    public int MaxDelay { get; init; }

    public long SnapshotCount { get; init; } = 30;

    public long SnapshotCatchUpEntries { get; init; } = 10;

    public long WalSegmentSizeBytes { get; init; } = 4096;

    public double ProposeRate { get; init; } = 0.6;

    public double PartitionRate { get; init; } = 0.01;

    public double HealRate { get; init; } = 0.03;

    /// <summary>A member dies between two steps (no operation of its own under way).</summary>
    public double IdleCrashRate { get; init; } = 0.006;

    /// <summary>A crash is armed on a member's sends: it dies in the middle of handling a Ready.</summary>
    public double SendCrashRate { get; init; } = 0.012;

    /// <summary>The power is set to fail a few disk operations from now, wherever they are (WAL, snapshot save, compaction).</summary>
    public double DiskCutRate { get; init; } = 0.015;

    /// <summary>The whole cluster loses its power at once (a data centre outage): only what a majority fsynced survives for sure.</summary>
    public double OutageRate { get; init; } = 0.003;

    public double RestartRate { get; init; } = 0.06;

    /// <summary>How often a member's background work (snapshot save and compaction) gets to run in a step.</summary>
    public double BackgroundRate { get; init; } = 0.3;

    /// <summary>Of the crashes not caused by a disk cut: the share that also loses the power (the rest keep the page cache, as SIGKILL).</summary>
    public double PowerLossShare { get; init; } = 0.8;

    /// <summary>How many membership changes the operator asks for during the faults (adds and removals, the leader's too).</summary>
    public int MembershipChanges { get; init; }

    /// <summary>The chance per step that the operator asks for the next change, when none is under way.</summary>
    public double MembershipRate { get; init; } = 0.02;

    /// <summary>A broken build of the node (<see cref="NodeOptions.FsyncsEntriesLaterForTests"/>): the simulation must catch it.</summary>
    public bool FsyncsEntriesLater { get; init; }

    /// <summary>A broken build of the disk (see <c>FsyncMutations</c>): the simulation must catch it.</summary>
    public Func<IStorageFileSystem, IStorageFileSystem>? Mutation { get; init; }
}
