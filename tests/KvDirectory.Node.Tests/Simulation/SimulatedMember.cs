using KvDirectory.Node.Membership;
using KvDirectory.Node.Metrics;
using KvDirectory.Store;
using KvDirectory.Testing.Disk;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Node.Tests.Simulation;

/// <summary>
/// One member of the simulated cluster: a real node built by the production composition (<see cref="NodeOpener"/>)
/// over its own <see cref="SimulatedDisk"/>, the shared clock, the in-memory transport and a background scheduler the
/// simulation steps. Only its disk survives a crash; a restart opens the data dir from what the disk kept. A member
/// added at runtime starts as the server does with <c>--initial-cluster-state existing</c>: not bootstrapped, with the
/// member list it fetched from the cluster. A member out of the cluster is retired once its node tells the host so.
/// </summary>
internal sealed class SimulatedMember
{
    private const string DataDir = "/sim/member";

    private readonly ClusterState _initialCluster;
    private readonly StepClock _clock;
    private readonly PeerEndpoint _endpoint;
    private readonly NodeSimulationOptions _options;

    public SimulatedMember(ClusterState initialCluster, StepClock clock, PeerEndpoint endpoint, NodeSimulationOptions options, bool joining = false)
    {
        _initialCluster = initialCluster;
        Joining = joining;
        _clock = clock;
        _endpoint = endpoint;
        _options = options;
        // A file's unsynced writes survive in order: a later WAL write kept after an earlier one was lost reads as damage in
        // the middle of the log, which a start refuses (a known limit, see the storage README). Past a power cut the disk
        // ignores everything, so the machine's last moments run on as a ghost whose answers never reach a client.
        Disk = new SimulatedDisk(unchecked(options.Seed * 31 + (int)initialCluster.LocalMemberId), throwAfterPowerCut: false, sectorSize: 512, writesInOrder: true);
        _endpoint.Muted = () => Disk.PowerLost;
    }

    public ulong Id => _initialCluster.LocalMemberId;

    /// <summary>Added at runtime: it joined a running cluster rather than bootstrapping one.</summary>
    public bool Joining { get; }

    /// <summary>The member list this incarnation publishes (what its members endpoint would answer); null while down.</summary>
    public ClusterStateHolder? Cluster { get; private set; }

    /// <summary>Its node told the host it is out of the cluster (its own removal applied and the exit delay passed, or a peer said so).</summary>
    public bool RemovalAnnounced { get; private set; }

    /// <summary>Out of the cluster and shut down for good, as the host does when told: never started again.</summary>
    public bool Retired { get; private set; }

    public SimulatedDisk Disk { get; }

    public StepScheduler Background { get; } = new();

    /// <summary>Null while the member is down.</summary>
    public ReplicatedNode? Node { get; private set; }

    public V2Store? Store { get; private set; }

    /// <summary>Bumped by every start: what one incarnation saw says nothing about the next one's memory.</summary>
    public int Incarnation { get; private set; }

    public bool IsUp => Node is not null;

    public PeerEndpoint Endpoint => _endpoint;

    /// <summary>Opens the data dir as the server does and runs the loop's first step (a lone voter campaigns).</summary>
    public void Start()
    {
        var incarnation = ++Incarnation;
        var store = new V2Store(new StoreOptions(), _clock);
        var options = new NodeOptions
        {
            DataDir = DataDir,
            InitialCluster = _initialCluster,
            JoinExisting = Joining,
            // A timer of a process that died since is gone with it.
            OnRemoved = () => RemovalAnnounced |= Incarnation == incarnation && IsUp,
            HeartbeatIntervalMilliseconds = _options.HeartbeatMilliseconds,
            ElectionTimeoutMilliseconds = _options.ElectionMilliseconds,
            SnapshotCount = _options.SnapshotCount,
            SnapshotCatchUpEntries = _options.SnapshotCatchUpEntries,
            MaxSnapshots = 2,
            MaxWals = 1,
            WalSegmentSizeBytes = _options.WalSegmentSizeBytes,
            Time = _clock,
            FileSystem = _options.Mutation?.Invoke(Disk) ?? Disk,
            BackgroundScheduler = Background,
            FsyncsEntriesLaterForTests = _options.FsyncsEntriesLater,
        };
        var cluster = new ClusterStateHolder(_initialCluster);
        var node = NodeOpener.Open(store, options, cluster, new NodeMetrics(), NullLogger.Instance);
        node.Attach(_endpoint);
        _endpoint.Sink = node.PeerSink;
        (Node, Store, Cluster) = (node, store, cluster);
        node.Loop.Begin();
    }

    /// <summary>
    /// The process dies where it stands: its memory, queued background work and pending requests are gone. With
    /// <paramref name="powerLoss"/> the machine loses power too, and the disk keeps only what the seed lets survive
    /// of what was not fsynced.
    /// </summary>
    public void Crash(bool powerLoss)
    {
        (Node, Store, Cluster) = (null, null, null);
        _endpoint.Sink = null;
        _endpoint.BeforeSend = null;
        Background.Forget();
        if (powerLoss || Disk.PowerLost)
        {
            Disk.LosePower();
        }
        else
        {
            Disk.CrashProcess();
        }
    }

    /// <summary>The host stops once told the member is out of the cluster (what it wrote stays on disk), and is not started again.</summary>
    public void Retire()
    {
        Crash(powerLoss: false);
        Retired = true;
    }
}
