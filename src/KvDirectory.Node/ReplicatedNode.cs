using KvDirectory.Node.Apply;
using KvDirectory.Node.Loop;
using KvDirectory.Node.Membership;
using KvDirectory.Node.Metrics;
using KvDirectory.Node.Proposals;
using KvDirectory.Node.Reads;
using KvDirectory.Node.Snapshots;
using KvDirectory.Protocol;
using KvDirectory.Raft;
using KvDirectory.Storage;
using KvDirectory.Store;
using KvDirectory.Transport;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Node;

/// <summary>
/// The replicated state machine as the server sees it: requests go in (<see cref="ICommandLog"/>,
/// <see cref="IMembershipLog"/>), are queued for the node's thread (<see cref="NodeLoop"/>), and complete when this
/// member has applied them. Built by <see cref="NodeOpener"/> from a data dir; wires the parts that do the work.
/// </summary>
public sealed class ReplicatedNode : ICommandLog, IMembershipLog, IDisposable
{
    private readonly NodeInbox _inbox = new();
    private readonly DurableRaftStorage _storage;
    private readonly NodeOptions _options;
    private readonly NodeMetrics _metrics;
    private readonly RequestIdGenerator _requestIds;
    private readonly StatusTracker _status;
    private readonly EntryApplier _applier;
    private readonly MemberList _members;
    private readonly ReadyHandler _ready;
    private readonly TimeProvider _time;
    private readonly NodeThread _thread;
    private readonly RemovalNotice _removal;
    private readonly SoleVoterReadPoint _soleVoterReads = new();
    private int _disposed;

    internal ReplicatedNode(RawNode node, DurableRaftStorage storage, V2Store store, NodeOptions options, RecoveredState recovered, NodeMetrics metrics, ILogger logger)
    {
        _storage = storage;
        _options = options;
        _metrics = metrics;
        _time = options.Time;
        Identity = recovered.Identity;
        var local = Identity.MemberId;
        _requestIds = new RequestIdGenerator(local, _time.GetUtcNow());
        var self = options.InitialCluster.LocalMember with { Id = local };
        _members = new MemberList(recovered.Cluster, self);
        _members.Restore(recovered.Members, recovered.JoinHint);
        PeerSink = new PeerInbox(_inbox);

        _status = new StatusTracker(node, metrics, options.Statistics, logger);
        var proposals = new ProposalTracker(node);
        var reads = new ReadIndexTracker(node, _requestIds.Next, TimeSpan.FromMilliseconds(options.ElectionTimeoutMilliseconds), _time);
        var attributes = new AttributesPublisher(node, _members, new MemberAttributes(local, self.Name, self.ClientUrls), options.RequestTimeout, _time, logger);
        _removal = new RemovalNotice(options.OnRemoved, options.RemovalExitDelay, _time);
        var membership = new MembershipChanges(node, _members, local, options.ElectionTimeoutMilliseconds, attributes, _time, _removal, logger);
        _applier = new EntryApplier(store, storage, proposals, membership, metrics, _time, logger);
        _applier.Reset(recovered.AppliedIndex, storage.InitialState().ConfState);
        var snapshots = new SnapshotScheduler(storage, store, _members, options, local, metrics, logger);
        snapshots.Reset(recovered.AppliedIndex);
        _ready = new ReadyHandler(node, storage, _status, _applier, reads, snapshots, metrics, options.Statistics, _time,
            options.FsyncsEntriesLaterForTests ? options.BackgroundScheduler : null);
        var handOff = new LeadershipHandOff(node, local, options.ElectionTimeoutMilliseconds, _time, logger);
        Loop = new NodeLoop(node, _inbox, options, _status, _ready, (proposals, reads, membership, handOff), snapshots, _soleVoterReads);
        _thread = new NodeThread(Loop, _inbox, _status, logger);
    }

    public ConsensusStatus Status => _status.Status;

    /// <summary>Which member of which cluster this node is: from the data dir when it has state, else from the flags.</summary>
    public MemberIdentity Identity { get; }

    /// <summary>The index of the last entry applied to the store (for tests and status pages).</summary>
    public ulong AppliedIndex => _applier.AppliedIndex;

    /// <summary>Where the transport hands what it hears.</summary>
    public IPeerMessageSink PeerSink { get; }

    /// <summary>The loop's iteration, which a simulation drives itself after <see cref="Attach"/> instead of <see cref="Start(IPeerNetwork?)"/>.</summary>
    internal NodeLoop Loop { get; }

    /// <summary>
    /// Opens the data dir and starts the node's thread at once: for a cluster of one that needs no transport, or with
    /// <paramref name="network"/> when the caller built one already.
    /// </summary>
    public static ReplicatedNode Start(V2Store store, NodeOptions options, NodeMetrics metrics, ILogger logger, IPeerNetwork? network = null)
    {
        var node = NodeOpener.Open(store, options, new ClusterStateHolder(options.InitialCluster), metrics, logger);
        node.Start(network);
        return node;
    }

    /// <summary>Starts the node's thread; the transport (when the cluster has or may get other members) is attached first.</summary>
    public void Start(IPeerNetwork? network)
    {
        Attach(network);
        _thread.Start();
    }

    /// <summary>Connects the transport without starting the thread (a simulation then calls <see cref="Loop"/> itself).</summary>
    internal void Attach(IPeerNetwork? network)
    {
        _ready.Attach(network);
        _members.Attach(network);
    }

    public async Task<EtcdEvent> ProposeAsync(StoreCommand command, CancellationToken cancellationToken)
    {
        var proposal = Submit(command);
        _metrics.ProposalStarted();
        var failed = true;
        try
        {
            // Bounded here rather than through WaitBoundedAsync: one async state machine per write instead of two.
            var result = await proposal.Completion.Task.WaitAsync(_options.RequestTimeout, _time, cancellationToken);
            failed = false;
            return result;
        }
        catch (TimeoutException)
        {
            throw TimedOut();
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

    /// <summary>Queues a command for the loop; its completion is the answer (a simulation reads it right after each iteration).</summary>
    internal ProposalInput Submit(StoreCommand command)
    {
        var requestId = _requestIds.Next();
        var proposal = new ProposalInput(requestId, command, ProposalPayload.Encode(requestId, command), _time.GetTimestamp());
        _inbox.Enqueue(proposal);
        return proposal;
    }

    public Task WaitForReadBarrierAsync(CancellationToken cancellationToken)
    {
        var read = SubmitRead();
        return read == ReadInput.Served ? Task.CompletedTask : WaitBoundedAsync(read.Completion.Task, cancellationToken);
    }

    /// <summary>
    /// A linearizable read point request: served at once by a sole voter's leader that applied up to its commit index
    /// (<see cref="SoleVoterReadPoint"/>), else queued for the node's thread and completed once this member applied up to
    /// the index a ReadIndex round confirmed.
    /// </summary>
    internal ReadInput SubmitRead()
    {
        if (_soleVoterReads.Covers(_applier.AppliedIndex))
        {
            return ReadInput.Served;
        }

        var read = new ReadInput();
        _inbox.Enqueue(read);
        return read;
    }

    public async Task<ClusterState> ChangeMembershipAsync(MembershipChange change, CancellationToken cancellationToken) =>
        await WaitBoundedAsync(SubmitMembershipChange(change).Completion.Task, cancellationToken);

    /// <summary>Queues a membership change for the loop; its completion is the answer (a simulation reads it right after each iteration).</summary>
    internal MembershipInput SubmitMembershipChange(MembershipChange change)
    {
        var input = new MembershipInput(change with { RequestId = _requestIds.Next() }, _time.GetTimestamp());
        _inbox.Enqueue(input);
        return input;
    }

    public bool HandOverLeadership(TimeSpan timeout)
    {
        if (_inbox.IsStopped || Status.Role != NodeRole.Leader)
        {
            return false;
        }

        var input = new LeadershipHandOffInput();
        _inbox.TryEnqueue(input);
        return input.Completion.Task.Wait(timeout) && input.Completion.Task.Result;
    }

    /// <summary>
    /// Stops the thread after everything queued so far was handled, then closes the log and snapshot files.
    /// Called after the HTTP server stopped, so no request is left waiting on it.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _removal.Dispose();
        _inbox.Stop();
        _thread.Join();
        _storage.Dispose();
        _inbox.Dispose();
    }

    /// <summary>A request never hangs: past the request timeout it answers etcd's 300 instead.</summary>
    private async Task<T> WaitBoundedAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(_options.RequestTimeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw TimedOut();
        }
    }

    private static EtcdException TimedOut() => new(EtcdErrorCode.RaftInternal, "etcdserver: request timed out");
}
