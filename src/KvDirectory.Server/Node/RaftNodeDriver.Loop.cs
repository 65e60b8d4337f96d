using System.Buffers.Binary;
using System.Diagnostics;
using KvDirectory.Protocol;
using KvDirectory.Raft;
using KvDirectory.Server.CommandLog;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Server.Node;

public sealed partial class RaftNodeDriver
{
    // Touched only by the driver thread.
    private readonly Dictionary<ulong, ProposalInput> _pendingProposals = [];
    private readonly List<ProposalInput> _waitingForLeader = [];
    private readonly Dictionary<ulong, ReadInput> _pendingReads = [];
    private readonly List<(ulong Index, ReadInput Read)> _readsWaitingForApply = [];
    private ulong _appliedIndex;
    private ulong _lastSnapshotIndex;
    private ConfState _confState = ConfState.Empty;
    private (ulong Term, ulong Vote) _persistedTermAndVote;
    private SoftState _softState;
    private Task _snapshotInFlight = Task.CompletedTask;

    private void Run()
    {
        var tickInterval = TimeSpan.FromMilliseconds(_options.HeartbeatIntervalMilliseconds);
        var nextTick = Stopwatch.GetTimestamp() + (long)(tickInterval.TotalSeconds * Stopwatch.Frequency);
        _confState = _storage.InitialState().ConfState;
        var recovered = _storage.InitialState().HardState;
        _persistedTermAndVote = (recovered.Term, recovered.Vote);
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
                    DropAbandonedProposals(now);
                }

                TakeInputs();
                ProcessReadies();
                CheckHandOff(Stopwatch.GetTimestamp());
                if (_stopping.IsCancellationRequested && _inputs.IsEmpty)
                {
                    break;
                }

                var wait = TimeSpan.FromSeconds((double)(nextTick - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
                if (wait > TimeSpan.Zero)
                {
                    _wakeUp.WaitOne(wait);
                }
            }
        }
        catch (Exception error)
        {
            // A failed fsync or a corrupt log leaves the node unable to promise durability: stop serving writes loudly.
            LogDriverFailed(_logger, error);
            _status = _status with { LeaderId = 0, Role = NodeRole.Follower };
            _stopped = true;
        }
        finally
        {
            FailEverythingPending("etcdserver: server stopped");
            _snapshotInFlight.Wait();
        }
    }

    /// <summary>A member that is the only voter need not wait an election timeout to lead.</summary>
    private void MaybeCampaignAlone()
    {
        ProcessReadies();
        var voters = _node.Status().Config.Voters;
        if (voters.Count == 1 && voters[0] == Identity.MemberId && _softState.Role != StateRole.Leader)
        {
            _node.Campaign();
            ProcessReadies();
        }
    }

    private void TakeInputs()
    {
        var taken = 0;
        while (taken < _options.MaxProposalsPerBatch && _inputs.TryDequeue(out var input))
        {
            taken++;
            switch (input)
            {
                case ProposalInput proposal:
                    _waitingForLeader.Add(proposal);
                    break;
                case ReadInput read:
                    _pendingReads[read.RequestId] = read;
                    var context = new byte[8];
                    BinaryPrimitives.WriteUInt64BigEndian(context, read.RequestId);
                    if (!_node.ReadIndex(context))
                    {
                        _pendingReads.Remove(read.RequestId);
                        read.Completion.TrySetException(new EtcdException(EtcdErrorCode.LeaderElect, "etcdserver: no leader"));
                    }

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
                    HandleMembershipInput(membership);
                    break;
                case LeadershipHandOffInput handOff:
                    StartHandOff(handOff, Stopwatch.GetTimestamp());
                    break;
                case RemovedNoticeInput:
                    OnRemovedFromCluster();
                    break;
            }
        }

        SubmitProposals();
    }

    /// <summary>Proposals wait here while no leader is known, and go in as soon as one is (or time out).</summary>
    private void SubmitProposals()
    {
        SubmitMembershipChanges(Stopwatch.GetTimestamp());
        if (_waitingForLeader.Count == 0 || _softState.Lead == 0)
        {
            return;
        }

        // One message for the whole batch: on a follower that is one forwarded MsgProp, not one per write.
        var batch = _waitingForLeader.Where(p => !p.Completion.Task.IsCompleted).ToArray();
        _waitingForLeader.Clear();
        if (batch.Length == 0)
        {
            return;
        }

        var payloads = batch.Select(p => (ReadOnlyMemory<byte>)ProposalPayload.Encode(p.RequestId, p.Command)).ToArray();
        var accepted = _node.TryPropose(payloads);
        foreach (var proposal in batch)
        {
            if (accepted)
            {
                _pendingProposals[proposal.RequestId] = proposal;
            }
            else
            {
                proposal.Completion.TrySetException(new EtcdException(EtcdErrorCode.LeaderElect, "etcdserver: proposal dropped, leadership is changing"));
            }
        }
    }

    private void DropAbandonedProposals(long now)
    {
        var limit = (long)(_options.RequestTimeout.TotalSeconds * 2 * Stopwatch.Frequency);
        var timedOut = new EtcdException(EtcdErrorCode.RaftInternal, "etcdserver: request timed out");
        for (var i = _waitingForLeader.Count - 1; i >= 0; i--)
        {
            if (now - _waitingForLeader[i].EnqueuedAt > limit)
            {
                _waitingForLeader[i].Completion.TrySetException(timedOut);
                _waitingForLeader.RemoveAt(i);
            }
        }

        if (_membershipInFlight is { } membership && now - membership.EnqueuedAt > limit)
        {
            // Its entry was lost in a leader change: let the next queued change go.
            membership.Completion.TrySetException(timedOut);
            _membershipInFlight = null;
        }

        foreach (var (id, proposal) in _pendingProposals.Where(p => now - p.Value.EnqueuedAt > limit).ToArray())
        {
            // Its entry was lost in a leader change; the caller already got a timeout.
            _pendingProposals.Remove(id);
            proposal.Completion.TrySetException(timedOut);
        }
    }

    private void FailEverythingPending(string reason)
    {
        var error = new EtcdException(EtcdErrorCode.RaftInternal, reason);
        foreach (var proposal in _pendingProposals.Values.Concat(_waitingForLeader))
        {
            proposal.Completion.TrySetException(error);
        }

        FailPendingMembershipChanges(error);
        foreach (var read in _pendingReads.Values.Concat(_readsWaitingForApply.Select(r => r.Read)))
        {
            read.Completion.TrySetException(error);
        }

        while (_inputs.TryDequeue(out var input))
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

    private void UpdateStatus()
    {
        var hardState = _node.Raft.HardState;
        _status = new ConsensusStatus((long)hardState.Term, (long)hardState.Commit, _softState.Lead, ToNodeRole(_softState.Role));
    }

    private static NodeRole ToNodeRole(StateRole role) => role switch
    {
        StateRole.Leader => NodeRole.Leader,
        StateRole.Candidate => NodeRole.Candidate,
        StateRole.PreCandidate => NodeRole.PreCandidate,
        _ => NodeRole.Follower,
    };

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Raft node {MemberId:x} started: snapshot at {SnapshotIndex}, log up to {LastIndex}, new cluster {Fresh}")]
    private static partial void LogStarted(ILogger logger, ulong memberId, ulong snapshotIndex, ulong lastIndex, bool fresh);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Critical, Message = "The Raft node driver stopped on an unrecoverable error; writes are refused until the node is restarted")]
    private static partial void LogDriverFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Role changed to {Role}; leader is now {Leader:x} (term {Term})")]
    private static partial void LogRoleChanged(ILogger logger, StateRole role, ulong leader, ulong term);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Snapshot saved at index {Index} ({Bytes} bytes, {Milliseconds} ms); log compacted up to {CompactIndex}")]
    private static partial void LogSnapshotSaved(ILogger logger, ulong index, int bytes, long milliseconds, ulong compactIndex);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "Saving the snapshot at index {Index} failed; the write-ahead log still holds everything")]
    private static partial void LogSnapshotFailed(ILogger logger, ulong index, Exception error);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Entry {Index} could not be decoded and was skipped on every member alike")]
    private static partial void LogBadEntry(ILogger logger, ulong index, Exception? error);
}
