using System.Collections.Concurrent;
using System.Diagnostics;
using KvDirectory.Protocol;
using KvDirectory.Raft;
using KvDirectory.Server.Cluster;
using KvDirectory.Server.CommandLog;
using KvDirectory.Server.Metrics;
using KvDirectory.Storage;
using KvDirectory.Store;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Server.Node;

/// <summary>
/// Drives the Raft core on one dedicated thread: ticks it, feeds it proposals and read requests, and for every
/// Ready persists (one fsync for everything that queued up meanwhile — group commit), applies committed
/// entries to the store in log order and completes the waiting requests by id. Endpoints see it as an
/// <see cref="ICommandLog"/>.
/// </summary>
public sealed partial class RaftNodeDriver : ICommandLog, IMembershipLog, IPeerMessageSink, IDisposable
{
    private readonly RawNode _node;
    private readonly DurableRaftStorage _storage;
    private readonly V2Store _store;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly RaftNodeDriverOptions _options;
    private readonly RequestIdGenerator _requestIds;
    private readonly ClusterStateHolder _cluster;
    private readonly ConcurrentQueue<DriverInput> _inputs = new();
    private readonly AutoResetEvent _wakeUp = new(false);
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stopping = new();
    private IPeerMessageSender? _peers;
    private IMembershipListener? _membershipListener;
    private volatile ConsensusStatus _status;
    private volatile bool _stopped;

    private RaftNodeDriver(
        RawNode node,
        DurableRaftStorage storage,
        V2Store store,
        RaftNodeDriverOptions options,
        ClusterStateHolder cluster,
        ServerMetrics metrics,
        ILogger logger,
        ulong appliedIndex,
        MemberIdentity identity)
    {
        _node = node;
        _storage = storage;
        _store = store;
        _options = options;
        _cluster = cluster;
        _metrics = metrics;
        _logger = logger;
        Identity = identity;
        _requestIds = new RequestIdGenerator(identity.MemberId, DateTimeOffset.UtcNow);
        _appliedIndex = appliedIndex;
        _lastSnapshotIndex = appliedIndex;
        var hardState = storage.InitialState().HardState;
        _status = new ConsensusStatus((long)hardState.Term, (long)hardState.Commit, 0, NodeRole.Follower);
        _thread = new Thread(Run) { IsBackground = true, Name = "raft-node-driver" };
    }

    public ConsensusStatus Status => _status;

    /// <summary>Which member of which cluster this node is: from the data dir when it has state, else from the flags.</summary>
    public MemberIdentity Identity { get; }

    /// <summary>The index of the last entry applied to the store (for tests and status pages).</summary>
    public ulong AppliedIndex => Interlocked.Read(ref _appliedIndex);

    /// <summary>
    /// Opens the data dir (newest good snapshot + the WAL after it), restores the store and the member list from the
    /// snapshot, and starts the driver thread; a brand-new data dir is bootstrapped with <see cref="RaftNodeDriverOptions.InitialCluster"/>.
    /// <paramref name="peers"/> carries messages to other members; a single-member cluster has none to send.
    /// </summary>
    public static RaftNodeDriver Start(
        V2Store store,
        RaftNodeDriverOptions options,
        ServerMetrics metrics,
        ILogger logger,
        IPeerMessageSender? peers = null)
    {
        var driver = Open(store, options, new ClusterStateHolder(options.InitialCluster), metrics, logger);
        driver.Start(peers, peers as IMembershipListener);
        return driver;
    }

    /// <summary>
    /// The first half of <see cref="Start(V2Store, RaftNodeDriverOptions, ServerMetrics, ILogger, IPeerMessageSender?)"/>:
    /// opens and recovers the data dir and publishes the member list to <paramref name="cluster"/>, so the host can
    /// build the peer transport with the identity the data dir holds before the thread starts.
    /// </summary>
    public static RaftNodeDriver Open(
        V2Store store,
        RaftNodeDriverOptions options,
        ClusterStateHolder cluster,
        ServerMetrics metrics,
        ILogger logger)
    {
        var storage = DurableRaftStorage.Open(
            options.DataDir,
            new DurableStorageOptions
            {
                Wal = WalOptions.Default with { MaxRetainedSegments = options.MaxWals },
                Snapshots = SnapshotStoreOptions.Default with { MaxSnapshots = options.MaxSnapshots },
            },
            logger);
        try
        {
            var fresh = storage.LastIndex() == 0 && storage.InitialState().HardState.IsEmpty && storage.RecoveredSnapshot.IsEmpty;
            var identity = ResolveIdentity(storage, options, fresh, logger);
            var snapshot = storage.RecoveredSnapshot;
            ClusterState? snapshotMembers = null;
            if (!snapshot.IsEmpty)
            {
                (snapshotMembers, var storeBytes) = ClusterSnapshotFormat.Read(snapshot.Data, identity.MemberId);
                store.RestoreSnapshot(storeBytes.Span);
            }

            var node = new RawNode(new RaftConfig
            {
                Id = identity.MemberId,
                Storage = storage,
                HeartbeatTick = 1,
                ElectionTick = Math.Max(2, options.ElectionTimeoutMilliseconds / options.HeartbeatIntervalMilliseconds),
                Applied = snapshot.Metadata.Index,
                CheckQuorum = options.CheckQuorum,
                PreVote = true,
                Seed = unchecked((int)identity.MemberId),
            });
            if (fresh && !options.JoinExisting)
            {
                node.Bootstrap([.. options.InitialCluster.Members.Select(m =>
                    new MembershipChange(MembershipChangeKind.Add, m.Id, m.PeerUrls, m.Name).ToConfChange())]);
            }

            if (fresh || storage.Metadata.IsEmpty)
            {
                // A data dir seeded from a backup gets its identity on its first start, like a new one.
                storage.SaveMetadata(identity.Encode());
            }

            var driver = new RaftNodeDriver(node, storage, store, options, cluster, metrics, logger, snapshot.Metadata.Index, identity);
            driver.RestoreMembership(snapshotMembers, snapshot, fresh);
            LogStarted(logger, identity.MemberId, snapshot.Metadata.Index, storage.LastIndex(), fresh);
            return driver;
        }
        catch
        {
            storage.Dispose();
            throw;
        }
    }

    /// <summary>Starts the driver thread; the transport (when the cluster has or may get other members) is attached first.</summary>
    public void Start(IPeerMessageSender? peers, IMembershipListener? membershipListener)
    {
        _peers = peers;
        _membershipListener = membershipListener;
        membershipListener?.MembershipChanged(_cluster.Current);
        _thread.Start();
    }

    public async Task<EtcdEvent> ProposeAsync(StoreCommand command, CancellationToken cancellationToken)
    {
        var proposal = new ProposalInput(_requestIds.Next(), StoreCommandCodec.Encode(command), Stopwatch.GetTimestamp());
        Enqueue(proposal);
        _metrics.ProposalStarted();
        var failed = true;
        try
        {
            var result = await WaitBoundedAsync(proposal.Completion.Task, cancellationToken);
            failed = false;
            return result;
        }
        catch (EtcdException error) when (error.ErrorCode < 300)
        {
            // A refused command (compare failed, key exists…) was committed and applied: not a failed proposal.
            failed = false;
            throw;
        }
        finally
        {
            _metrics.ProposalFinished(failed);
        }
    }

    public Task WaitForReadBarrierAsync(CancellationToken cancellationToken)
    {
        var read = new ReadInput(_requestIds.Next());
        Enqueue(read);
        return WaitBoundedAsync(read.Completion.Task, cancellationToken);
    }

    /// <summary>
    /// Stops the thread after everything queued so far was handled, then closes the log and snapshot files.
    /// Called after the HTTP server stopped, so no request is left waiting on it.
    /// </summary>
    public void Dispose()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _stopping.Cancel();
        _wakeUp.Set();
        _thread.Join();
        _storage.Dispose();
        _wakeUp.Dispose();
        _stopping.Dispose();
    }

    public void DeliverPeerMessage(Message message) => TryEnqueue(new PeerMessageInput(message));

    public void ReportPeerUnreachable(ulong memberId) => TryEnqueue(new PeerReportInput(memberId, PeerReport.Unreachable));

    public void ReportRemovedFromCluster() => TryEnqueue(new RemovedNoticeInput());

    public void ReportSnapshotStatus(ulong memberId, bool succeeded) =>
        TryEnqueue(new PeerReportInput(memberId, succeeded ? PeerReport.SnapshotSucceeded : PeerReport.SnapshotFailed));

    /// <summary>Peer traffic arriving while the node stops is dropped: the peer resends whatever still matters.</summary>
    private void TryEnqueue(DriverInput input)
    {
        if (_stopped)
        {
            return;
        }

        _inputs.Enqueue(input);
        try
        {
            _wakeUp.Set();
        }
        catch (ObjectDisposedException)
        {
            // The driver stopped between the check and the wake-up; the input is dropped with the rest.
        }
    }

    private void Enqueue(DriverInput input)
    {
        if (_stopped)
        {
            throw new EtcdException(EtcdErrorCode.RaftInternal, "etcdserver: server stopped");
        }

        _inputs.Enqueue(input);
        _wakeUp.Set();
    }

    /// <summary>A request never hangs: past the request timeout it answers etcd's 300 instead.</summary>
    private async Task<T> WaitBoundedAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(_options.RequestTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new EtcdException(EtcdErrorCode.RaftInternal, "etcdserver: request timed out");
        }
    }

    /// <summary>
    /// A data dir that has state keeps the identity it was created with, whatever the flags say now (etcd ignores
    /// <c>--initial-cluster</c> on a restart too: a member added at runtime has an id the flags cannot derive).
    /// </summary>
    private static MemberIdentity ResolveIdentity(DurableRaftStorage storage, RaftNodeDriverOptions options, bool fresh, ILogger logger)
    {
        var fromFlags = new MemberIdentity(options.InitialCluster.LocalMemberId, options.InitialCluster.ClusterId);
        if (fresh || MemberIdentity.TryDecode(storage.Metadata.Span) is not { } saved)
        {
            return fromFlags;
        }

        if (saved != fromFlags)
        {
            LogIdentityFromDataDir(logger, options.DataDir, saved.MemberId, saved.ClusterId, fromFlags.MemberId, fromFlags.ClusterId);
        }

        return saved;
    }
}
