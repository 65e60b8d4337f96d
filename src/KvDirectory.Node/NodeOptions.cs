using KvDirectory.Node.Membership;
using KvDirectory.Node.Statistics;
using KvDirectory.Storage;
using KvDirectory.Storage.FileSystem;

namespace KvDirectory.Node;

/// <summary>What the node needs from the configuration, resolved (ids computed, intervals as TimeSpans).</summary>
public sealed record NodeOptions
{
    public required string DataDir { get; init; }

    /// <summary>
    /// The membership from the flags (<c>--initial-cluster</c>), or the one fetched from the cluster this member joins.
    /// A brand-new data dir is bootstrapped with it; a data dir that already has state keeps its own identity and members.
    /// </summary>
    public required ClusterState InitialCluster { get; init; }

    /// <summary><c>--initial-cluster-state existing</c>: a new data dir is not bootstrapped; the log arrives from the leader.</summary>
    public bool JoinExisting { get; init; }

    /// <summary>
    /// With <see cref="JoinExisting"/>: asks the running members for their member list (this member's id included)
    /// whenever the data dir records none yet — a new data dir, or one whose member was stopped before it received
    /// anything from the leader (without it that member could neither dial nor accept a peer). Null:
    /// <see cref="InitialCluster"/> already is the list the cluster knows.
    /// </summary>
    public Func<ClusterState>? MembersFromPeers { get; init; }

    public int HeartbeatIntervalMilliseconds { get; init; } = 100;

    public int ElectionTimeoutMilliseconds { get; init; } = 1_000;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public long SnapshotCount { get; init; } = 100_000;

    public long SnapshotCatchUpEntries { get; init; } = 5_000;

    public int MaxSnapshots { get; init; } = 5;

    public int MaxWals { get; init; } = 5;

    /// <summary>Size of a WAL segment (etcd's 64 MiB); a simulation uses small ones so segments roll and are released often.</summary>
    internal long WalSegmentSizeBytes { get; init; } = WalOptions.Default.SegmentSizeBytes;

    /// <summary>A leader steps down once it has not heard from a quorum for an election timeout (off only in tests).</summary>
    public bool CheckQuorum { get; init; } = true;

    /// <summary>Most proposals taken into one Ready: bounds the size of one fsync batch and one apply run.</summary>
    public int MaxProposalsPerBatch { get; init; } = 4_096;

    /// <summary>
    /// Called once this member is out of the cluster (a timer's thread after its own removal applied, the node's
    /// thread when a peer said so): the host shuts down.
    /// </summary>
    public Action? OnRemoved { get; init; }

    /// <summary>How long a member that applied its own removal keeps running before <see cref="OnRemoved"/>, so the others hear the commit (etcd: 1 s).</summary>
    public TimeSpan RemovalExitDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the node records traffic and leadership for the stats endpoints; none in bare tests.</summary>
    public RaftStatistics? Statistics { get; init; }

    /// <summary>The node's clock: ticks, request ages, hand-off deadlines (a simulation steps it by hand).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The disk under the data dir's log and snapshots (a simulation gives each node one that can lose power).</summary>
    public IStorageFileSystem FileSystem { get; init; } = PhysicalFileSystem.Instance;

    /// <summary>
    /// Test-only, never set in production: the ordering bug the node simulation must catch. The fsync of a Ready's new
    /// entries is handed to <see cref="BackgroundScheduler"/> instead of waited for, while the loop goes on as if they
    /// were durable: a follower acknowledges them, a leader counts its own copy, and a write can be acknowledged before
    /// any copy of it is durable. (Term and vote changes are still fsynced first.)
    /// </summary>
    internal bool FsyncsEntriesLaterForTests { get; init; }

    /// <summary>Where snapshot saves run off the node's thread (a simulation runs them when it chooses, so a crash can land mid-save).</summary>
    public TaskScheduler BackgroundScheduler { get; init; } = TaskScheduler.Default;
}
