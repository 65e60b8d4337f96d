using System.Diagnostics;
using KvDirectory.Node.Membership;
using KvDirectory.Node.Proposals;
using KvDirectory.Node.Reads;
using KvDirectory.Node.Snapshots;
using KvDirectory.Protocol;
using KvDirectory.Raft;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Node.Loop;

/// <summary>
/// The node's one thread, the only one that touches the Raft core: tick → take queued inputs → handle every Ready
/// (<see cref="ReadyHandler"/>) → submit proposals, until stopped.
/// </summary>
internal sealed partial class NodeLoop
{
    private readonly RawNode _node;
    private readonly NodeInbox _inbox;
    private readonly NodeOptions _options;
    private readonly StatusTracker _status;
    private readonly ReadyHandler _ready;
    private readonly ProposalTracker _proposals;
    private readonly ReadIndexTracker _reads;
    private readonly MembershipChanges _membership;
    private readonly LeadershipHandOff _handOff;
    private readonly SnapshotScheduler _snapshots;
    private readonly ILogger _logger;
    private readonly Thread _thread;

    public NodeLoop(
        RawNode node,
        NodeInbox inbox,
        NodeOptions options,
        StatusTracker status,
        ReadyHandler ready,
        (ProposalTracker Proposals, ReadIndexTracker Reads, MembershipChanges Membership, LeadershipHandOff HandOff) requests,
        SnapshotScheduler snapshots,
        ILogger logger)
    {
        _node = node;
        _inbox = inbox;
        _options = options;
        _status = status;
        _ready = ready;
        (_proposals, _reads, _membership, _handOff) = requests;
        _snapshots = snapshots;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "raft-node" };
    }

    public void Start() => _thread.Start();

    /// <summary>Waits until the thread has handled everything queued before the inbox stopped.</summary>
    public void Join()
    {
        if (_thread.ThreadState != System.Threading.ThreadState.Unstarted)
        {
            _thread.Join();
        }
    }

    private void Run()
    {
        var tickInterval = TimeSpan.FromMilliseconds(_options.HeartbeatIntervalMilliseconds);
        var nextTick = Stopwatch.GetTimestamp() + (long)(tickInterval.TotalSeconds * Stopwatch.Frequency);
        try
        {
            MaybeCampaignAlone();
            while (true)
            {
                var now = Stopwatch.GetTimestamp();
                if (now >= nextTick)
                {
                    _node.Tick();
                    nextTick = now + (long)(tickInterval.TotalSeconds * Stopwatch.Frequency);
                    DropAbandoned(now);
                }

                TakeInputs();
                ProcessReadies();
                _handOff.Check(Stopwatch.GetTimestamp(), _status.SoftState);
                if (_inbox.IsStopped && _inbox.IsEmpty)
                {
                    break;
                }

                var wait = TimeSpan.FromSeconds((double)(nextTick - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
                if (wait > TimeSpan.Zero)
                {
                    _inbox.Wait(wait);
                }
            }
        }
        catch (Exception error)
        {
            // A failed fsync or a corrupt log leaves the node unable to promise durability: stop serving writes loudly.
            LogLoopFailed(_logger, error);
            _status.MarkFailed();
            _inbox.Stop();
        }
        finally
        {
            FailEverythingPending("etcdserver: server stopped");
            _snapshots.WaitForSave();
        }
    }

    /// <summary>A member that is the only voter need not wait an election timeout to lead.</summary>
    private void MaybeCampaignAlone()
    {
        ProcessReadies();
        var voters = _node.Status().Config.Voters;
        if (voters.Count == 1 && voters[0] == _node.Id && _status.SoftState.Role != StateRole.Leader)
        {
            _node.Campaign();
            ProcessReadies();
        }
    }

    private void ProcessReadies()
    {
        while (_node.HasReady())
        {
            _ready.Handle(_node.GetReady());
            Submit();
        }
    }

    private void TakeInputs()
    {
        var taken = 0;
        while (taken < _options.MaxProposalsPerBatch && _inbox.TryDequeue(out var input))
        {
            taken++;
            switch (input)
            {
                case ProposalInput proposal:
                    _proposals.Add(proposal);
                    break;
                case ReadInput read:
                    _reads.Request(read);
                    break;
                case PeerMessageInput peerMessage:
                    _options.Statistics?.MessageReceived(peerMessage.Message);
                    _node.Step(peerMessage.Message);
                    break;
                case PeerReportInput { Report: PeerReport.Unreachable } unreachable:
                    _options.Statistics?.PeerUnreachable(unreachable.MemberId);
                    _node.ReportUnreachable(unreachable.MemberId);
                    break;
                case PeerReportInput snapshotReport:
                    _node.ReportSnapshot(snapshotReport.MemberId, snapshotReport.Report == PeerReport.SnapshotSucceeded);
                    break;
                case MembershipInput membership:
                    _membership.Enqueue(membership);
                    break;
                case LeadershipHandOffInput handOff:
                    _handOff.Start(handOff, Stopwatch.GetTimestamp(), _status.SoftState);
                    break;
                case RemovedNoticeInput:
                    _membership.MarkRemoved();
                    break;
            }
        }

        Submit();
    }

    /// <summary>Proposals wait while no leader is known, and go in as soon as one is.</summary>
    private void Submit()
    {
        _membership.Submit(Stopwatch.GetTimestamp(), _status.SoftState);
        _proposals.Submit(_status.SoftState);
    }

    /// <summary>A request nobody waits for any more (twice the request timeout) was lost in a leader change.</summary>
    private void DropAbandoned(long now)
    {
        var limit = (long)(_options.RequestTimeout.TotalSeconds * 2 * Stopwatch.Frequency);
        var timedOut = new EtcdException(EtcdErrorCode.RaftInternal, "etcdserver: request timed out");
        _proposals.DropAbandoned(now, limit, timedOut);
        _membership.DropAbandoned(now, limit, timedOut);
    }

    private void FailEverythingPending(string reason)
    {
        var error = new EtcdException(EtcdErrorCode.RaftInternal, reason);
        _proposals.FailAll(error);
        _membership.FailAll(error);
        _handOff.Cancel();
        _reads.FailAll(error);
        while (_inbox.TryDequeue(out var input))
        {
            switch (input)
            {
                case ProposalInput proposal:
                    proposal.Completion.TrySetException(error);
                    break;
                case ReadInput read:
                    read.Completion.TrySetException(error);
                    break;
                case MembershipInput membership:
                    membership.Completion.TrySetException(error);
                    break;
                case LeadershipHandOffInput handOff:
                    handOff.Completion.TrySetResult(false);
                    break;
            }
        }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Critical, Message = "The Raft node loop stopped on an unrecoverable error; writes are refused until the node is restarted")]
    private static partial void LogLoopFailed(ILogger logger, Exception error);
}
