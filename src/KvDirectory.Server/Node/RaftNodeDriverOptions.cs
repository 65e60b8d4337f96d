namespace KvDirectory.Server.Node;

/// <summary>What the node driver needs from the configuration, resolved (ids computed, intervals as TimeSpans).</summary>
public sealed record RaftNodeDriverOptions
{
    public required string DataDir { get; init; }

    public required ulong MemberId { get; init; }

    public required ulong ClusterId { get; init; }

    /// <summary>The voters a brand-new data dir is bootstrapped with.</summary>
    public required IReadOnlyCollection<ulong> InitialVoters { get; init; }

    public int HeartbeatIntervalMilliseconds { get; init; } = 100;

    public int ElectionTimeoutMilliseconds { get; init; } = 1_000;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public long SnapshotCount { get; init; } = 10_000;

    public long SnapshotCatchUpEntries { get; init; } = 5_000;

    public int MaxSnapshots { get; init; } = 5;

    public int MaxWals { get; init; } = 5;

    /// <summary>Most proposals taken into one Ready: bounds the size of one fsync batch and one apply run.</summary>
    public int MaxProposalsPerBatch { get; init; } = 4_096;

    /// <summary>Where the driver records traffic and leadership for the stats endpoints; none in bare tests.</summary>
    public RaftStatistics? Statistics { get; init; }
}
