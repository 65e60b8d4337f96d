using KvDirectory.Node.Membership;
using KvDirectory.Node.Proposals;
using KvDirectory.Node.Reads;
using KvDirectory.Node.Snapshots;
using KvDirectory.Protocol;
using KvDirectory.Raft;

namespace KvDirectory.Node.Loop;

/// <summary>
/// One iteration of the node's loop, the only code that touches the Raft core: tick if due → take queued inputs →
/// handle every Ready (<see cref="ReadyHandler"/>) → submit proposals. <see cref="NodeThread"/> repeats it in
/// production; a simulation calls <see cref="RunOnce"/> itself, with its own clock (<see cref="NodeOptions.Time"/>).
/// </summary>
internal sealed class NodeLoop
{
    private readonly RawNode _node;
    private readonly NodeInbox _inbox;
    private readonly NodeOptions _options;
    private readonly TimeProvider _time;
    private readonly StatusTracker _status;
    private readonly ReadyHandler _ready;
    private readonly ProposalTracker _proposals;
    private readonly ReadIndexTracker _reads;
    private readonly MembershipChanges _membership;
    private readonly LeadershipHandOff _handOff;
    private readonly SnapshotScheduler _snapshots;
    private readonly SoleVoterReadPoint _soleVoterReads;
    private long _nextTick;

    public NodeLoop(
        RawNode node,
        NodeInbox inbox,
        NodeOptions options,
        StatusTracker status,
        ReadyHandler ready,
        (ProposalTracker Proposals, ReadIndexTracker Reads, MembershipChanges Membership, LeadershipHandOff HandOff) requests,
        SnapshotScheduler snapshots,
        SoleVoterReadPoint soleVoterReads)
    {
        _node = node;
        _inbox = inbox;
        _options = options;
        _time = options.Time;
        _status = status;
        _ready = ready;
        (_proposals, _reads, _membership, _handOff) = requests;
        _snapshots = snapshots;
        _soleVoterReads = soleVoterReads;
    }

    /// <summary>Stopped, and everything queued before the stop handled: no iteration is due any more.</summary>
    public bool IsDone => _inbox.IsStopped && _inbox.IsEmpty;

    private TimeSpan TickInterval => TimeSpan.FromMilliseconds(_options.HeartbeatIntervalMilliseconds);

    /// <summary>Before the first iteration: the first tick is one interval away; a lone voter campaigns at once.</summary>
    public void Begin()
    {
        _nextTick = _time.GetTimestamp() + ToTimestampTicks(TickInterval);
        MaybeCampaignAlone();
    }

    /// <summary>One iteration; returns how long until the next tick is due (what the thread may sleep, woken early by new input).</summary>
    public TimeSpan RunOnce()
    {
        var now = _time.GetTimestamp();
        if (now >= _nextTick)
        {
            _node.Tick();
            _nextTick = now + ToTimestampTicks(TickInterval);
            DropAbandoned(now);
            _ready.MaybeSnapshot();
        }

        TakeInputs();
        ProcessReadies();
        _handOff.Check(_time.GetTimestamp(), _status.SoftState);
        return _time.GetElapsedTime(_time.GetTimestamp(), _nextTick);
    }

    /// <summary>After the last iteration (a stop, or a failure): nobody is left waiting, and a snapshot save in progress finishes.</summary>
    public void End()
    {
        _soleVoterReads.Publish(null);
        FailEverythingPending("etcdserver: server stopped");
        _snapshots.WaitForSave();
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
            // Before the Ready's messages go out: see SoleVoterReadPoint.
            _soleVoterReads.Publish(_node.Raft.SoleVoterReadIndex);
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
                    _handOff.Start(handOff, _time.GetTimestamp(), _status.SoftState);
                    break;
                case RemovedNoticeInput:
                    _membership.MarkRemoved();
                    break;
            }
        }

        Submit();
    }

    /// <summary>Proposals wait while no leader is known, and go in as soon as one is; queued reads share the next read point.</summary>
    private void Submit()
    {
        var now = _time.GetTimestamp();
        _membership.Submit(now, _status.SoftState);
        _proposals.Submit(_status.SoftState);
        _reads.Submit(now, _status.SoftState);
    }

    /// <summary>A request nobody waits for any more (twice the request timeout) was lost in a leader change.</summary>
    private void DropAbandoned(long now)
    {
        var limit = ToTimestampTicks(_options.RequestTimeout * 2);
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

    private long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
