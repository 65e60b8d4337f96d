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
public sealed partial class RaftNodeDriver : ICommandLog, IPeerMessageSink, IDisposable
{
    private readonly RawNode _node;
    private readonly DurableRaftStorage _storage;
    private readonly V2Store _store;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly RaftNodeDriverOptions _options;
    private readonly RequestIdGenerator _requestIds;
    private readonly IPeerMessageSender? _peers;
    private readonly ConcurrentQueue<DriverInput> _inputs = new();
    private readonly AutoResetEvent _wakeUp = new(false);
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stopping = new();
    private volatile ConsensusStatus _status;
    private volatile bool _stopped;

    private RaftNodeDriver(
        RawNode node,
        DurableRaftStorage storage,
        V2Store store,
        RaftNodeDriverOptions options,
        ServerMetrics metrics,
        ILogger logger,
        ulong appliedIndex,
        IPeerMessageSender? peers)
    {
        _peers = peers;
        _node = node;
        _storage = storage;
        _store = store;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _requestIds = new RequestIdGenerator(options.MemberId, DateTimeOffset.UtcNow);
        _appliedIndex = appliedIndex;
        _lastSnapshotIndex = appliedIndex;
        var hardState = storage.InitialState().HardState;
        _status = new ConsensusStatus((long)hardState.Term, (long)hardState.Commit, 0, NodeRole.Follower);
        _thread = new Thread(Run) { IsBackground = true, Name = "raft-node-driver" };
    }

    public ConsensusStatus Status => _status;

    /// <summary>The index of the last entry applied to the store (for tests and status pages).</summary>
    public ulong AppliedIndex => Interlocked.Read(ref _appliedIndex);

    /// <summary>
    /// Opens the data dir (newest good snapshot + the WAL after it), restores the store from the snapshot,
    /// and starts the driver thread; a brand-new data dir is bootstrapped with <see cref="RaftNodeDriverOptions.InitialVoters"/>.
    /// <paramref name="peers"/> carries messages to other members; a single-member cluster has none to send.
    /// </summary>
    public static RaftNodeDriver Start(
        V2Store store,
        RaftNodeDriverOptions options,
        ServerMetrics metrics,
        ILogger logger,
        IPeerMessageSender? peers = null)
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
            CheckIdentity(storage, options, fresh);
            var snapshot = storage.RecoveredSnapshot;
            if (!snapshot.IsEmpty)
            {
                store.RestoreSnapshot(snapshot.Data.Span);
            }

            var node = new RawNode(new RaftConfig
            {
                Id = options.MemberId,
                Storage = storage,
                HeartbeatTick = 1,
                ElectionTick = Math.Max(2, options.ElectionTimeoutMilliseconds / options.HeartbeatIntervalMilliseconds),
                Applied = snapshot.Metadata.Index,
                CheckQuorum = true,
                PreVote = true,
                Seed = unchecked((int)options.MemberId),
            });
            if (fresh)
            {
                node.Bootstrap([.. options.InitialVoters]);
            }

            if (fresh || storage.Metadata.IsEmpty)
            {
                // A data dir seeded from a backup gets its identity on its first start, like a new one.
                storage.SaveMetadata(new MemberIdentity(options.MemberId, options.ClusterId).Encode());
            }

            var driver = new RaftNodeDriver(node, storage, store, options, metrics, logger, snapshot.Metadata.Index, peers);
            LogStarted(logger, options.MemberId, snapshot.Metadata.Index, storage.LastIndex(), fresh);
            driver._thread.Start();
            return driver;
        }
        catch
        {
            storage.Dispose();
            throw;
        }
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

    private static void CheckIdentity(DurableRaftStorage storage, RaftNodeDriverOptions options, bool fresh)
    {
        if (fresh)
        {
            return;
        }

        if (MemberIdentity.TryDecode(storage.Metadata.Span) is { } saved &&
            (saved.MemberId != options.MemberId || saved.ClusterId != options.ClusterId))
        {
            throw new InvalidOperationException(
                $"the data dir {options.DataDir} belongs to member {saved.MemberId:x} of cluster {saved.ClusterId:x}, " +
                $"but the flags make this member {options.MemberId:x} of cluster {options.ClusterId:x}; " +
                "start with the flags it was created with, or use an empty --data-dir");
        }
    }
}
