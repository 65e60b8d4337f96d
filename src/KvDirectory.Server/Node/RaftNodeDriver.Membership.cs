using System.Diagnostics;
using KvDirectory.Protocol;
using KvDirectory.Raft;
using KvDirectory.Server.Cluster;
using KvDirectory.Server.CommandLog;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Server.Node;

/// <summary>
/// Runtime membership: changes are conf change entries carrying a <see cref="MembershipChange"/>, validated and
/// applied in log order against the replicated member list (<see cref="_membership"/>, rebuilt from the snapshot and
/// the log on every start), then published to the <see cref="ClusterStateHolder"/> and the transport.
/// </summary>
public sealed partial class RaftNodeDriver
{
    // Touched only by the driver thread (and by Open before the thread starts).
    private readonly Queue<MembershipInput> _membershipQueue = new();
    private MembershipInput? _membershipInFlight;
    private ClusterState _membership = null!;
    private ClusterState? _joinHint;
    private LeadershipHandOffInput? _handOff;
    private long _handOffDeadline;
    private bool _removed;

    public async Task<ClusterState> ChangeMembershipAsync(MembershipChange change, CancellationToken cancellationToken)
    {
        var input = new MembershipInput(change with { RequestId = _requestIds.Next() }, Stopwatch.GetTimestamp());
        Enqueue(input);
        return await WaitBoundedAsync(input.Completion.Task, cancellationToken);
    }

    public bool HandOverLeadership(TimeSpan timeout)
    {
        if (_stopped || _status.Role != NodeRole.Leader)
        {
            return false;
        }

        var input = new LeadershipHandOffInput();
        TryEnqueue(input);
        return input.Completion.Task.Wait(timeout) && input.Completion.Task.Result;
    }

    /// <summary>
    /// The replicated member list starts from the snapshot's; a data dir without one starts empty and the log replay
    /// (the bootstrap entries first) fills it. Until this member sees its own addition, the member list it was
    /// started with (flags, or fetched when joining) is shown and dialed too, so it can talk to the leader meanwhile.
    /// (Dropped once every member it names is in the replayed list or removed.)
    /// </summary>
    private void RestoreMembership(ClusterState? snapshotMembers, Snapshot snapshot, bool fresh)
    {
        var local = Identity.MemberId;
        if (snapshotMembers is not null)
        {
            _membership = snapshotMembers;
        }
        else if (!snapshot.IsEmpty)
        {
            // A snapshot seeded from a backup holds only the store: its voters are the members the flags name.
            var voters = snapshot.Metadata.ConfState.Voters.ToHashSet();
            _membership = _options.InitialCluster with
            {
                LocalMemberId = local,
                Members = [.. _options.InitialCluster.Members.Where(m => voters.Contains(m.Id))],
            };
        }
        else
        {
            _membership = new ClusterState(Identity.ClusterId, local, []);
        }

        _joinHint = fresh ? _options.InitialCluster : null;
        PublishMembership();
    }

    private void HandleMembershipInput(MembershipInput input) => _membershipQueue.Enqueue(input);

    /// <summary>
    /// Proposes queued membership changes one at a time (Raft accepts one pending conf change; a second would be
    /// dropped silently). Removing the current leader first asks it to hand leadership to another member.
    /// </summary>
    private void SubmitMembershipChanges(long now)
    {
        if (_membershipInFlight is { } inFlight)
        {
            if (!inFlight.Completion.Task.IsCompleted)
            {
                return;
            }

            _membershipInFlight = null;
        }

        while (_membershipQueue.TryPeek(out var next) && next.Completion.Task.IsCompleted)
        {
            _membershipQueue.Dequeue();
        }

        if (_membershipQueue.Count == 0 || _softState.Lead == 0)
        {
            return;
        }

        var input = _membershipQueue.Peek();
        var change = input.Change;
        if (change.Kind == MembershipChangeKind.Remove && change.MemberId == _softState.Lead && _membership.Members.Count > 1)
        {
            if (input.TransferRequestedAt == 0)
            {
                var transferee = _softState.Role == StateRole.Leader ? BestTransferee(change.MemberId) : Identity.MemberId;
                if (transferee != 0)
                {
                    LogHandingOverBeforeRemoval(_logger, change.MemberId, transferee);
                    _node.TransferLeadership(transferee);
                }

                input.TransferRequestedAt = now;
                return;
            }

            var waited = (now - input.TransferRequestedAt) / (double)Stopwatch.Frequency * 1000;
            if (waited < 2 * _options.ElectionTimeoutMilliseconds)
            {
                return;
            }
        }

        _membershipQueue.Dequeue();
        if (_node.TryProposeConfChange(change.ToConfChange()))
        {
            _membershipInFlight = input;
        }
        else
        {
            input.Completion.TrySetException(new EtcdException(EtcdErrorCode.LeaderElect, "etcdserver: proposal dropped, leadership is changing"));
        }
    }

    /// <summary>The voter (other than <paramref name="excluded"/> and this leader) whose log matches the leader's furthest.</summary>
    private ulong BestTransferee(ulong excluded)
    {
        var status = _node.Status();
        return status.Progress
            .Where(p => p.Key != Identity.MemberId && p.Key != excluded && !p.Value.IsLearner && status.Config.Voters.Contains(p.Key))
            .OrderByDescending(p => p.Value.Match)
            .Select(p => p.Key)
            .FirstOrDefault();
    }

    private void ApplyConfChange(Entry entry)
    {
        var change = ConfChange.Decode(entry.Data.Span);
        MembershipChange? membershipChange;
        try
        {
            membershipChange = MembershipChange.FromConfChange(change);
        }
        catch (FormatException error)
        {
            LogBadEntry(_logger, entry.Index, error);
            return;
        }

        if (membershipChange is null)
        {
            // A bare Raft change (no member record): only the Raft configuration knows about it.
            _confState = _node.ApplyConfChange(change);
            _storage.SetConfState(_confState);
            return;
        }

        MembershipInput? waiting = null;
        if (membershipChange.RequestId != 0 && _membershipInFlight?.Change.RequestId == membershipChange.RequestId)
        {
            waiting = _membershipInFlight;
            _membershipInFlight = null;
        }

        if (MembershipRules.Validate(_membership, membershipChange) is { } refused)
        {
            // Every member refuses it alike (same state, same entry); the Raft configuration stays as it was.
            LogMembershipChangeRefused(_logger, membershipChange.Kind, membershipChange.MemberId, entry.Index, MembershipException.Describe(refused));
            waiting?.Completion.TrySetException(new MembershipException(refused));
            return;
        }

        _confState = _node.ApplyConfChange(change);
        _storage.SetConfState(_confState);
        _membership = MembershipRules.Apply(_membership, membershipChange);
        LogMembershipChanged(_logger, membershipChange.Kind, membershipChange.MemberId, string.Join(",", membershipChange.PeerUrls), entry.Index, _membership.Members.Count);
        var published = PublishMembership();
        waiting?.Completion.TrySetResult(published);
        if (membershipChange.Kind == MembershipChangeKind.Remove && membershipChange.MemberId == Identity.MemberId)
        {
            OnRemovedFromCluster();
        }
    }

    private void OnRemovedFromCluster()
    {
        if (_removed)
        {
            return;
        }

        _removed = true;
        LogRemoved(_logger, Identity.MemberId);
        _options.OnRemoved?.Invoke();
    }

    /// <summary>
    /// Publishes the replicated member list, keeping what handshakes taught (names and client URLs of members added
    /// at runtime) and this member's own name and client URLs from its flags.
    /// </summary>
    private ClusterState PublishMembership()
    {
        var visible = _membership;
        if (_joinHint is { } hint)
        {
            // Dropped once the log has caught up with it: every member it named is known (or known removed). Dropping
            // it earlier would hang up on members the replay is about to add again.
            if (hint.Members.All(m => visible.Find(m.Id) is not null || visible.RemovedIds.Contains(m.Id)))
            {
                _joinHint = null;
            }
            else
            {
                visible = visible with
                {
                    Members = [.. visible.Members, .. hint.Members.Where(m => visible.Find(m.Id) is null && !visible.RemovedIds.Contains(m.Id))],
                };
            }
        }

        var self = _options.InitialCluster.LocalMember;
        var published = _cluster.Update(current => visible with
        {
            Members = [.. visible.Members.Select(member =>
            {
                if (member.Id == Identity.MemberId)
                {
                    return member with { Name = self.Name, ClientUrls = self.ClientUrls };
                }

                var known = current.Find(member.Id);
                return known is null ? member : member with
                {
                    Name = member.Name.Length > 0 ? member.Name : known.Name,
                    ClientUrls = member.ClientUrls.Count > 0 ? member.ClientUrls : known.ClientUrls,
                };
            })],
        });
        _membershipListener?.MembershipChanged(published);
        return published;
    }

    private void StartHandOff(LeadershipHandOffInput input, long now)
    {
        var transferee = _softState.Role == StateRole.Leader ? BestTransferee(0) : 0;
        if (transferee == 0)
        {
            input.Completion.TrySetResult(false);
            return;
        }

        LogHandingOverOnStop(_logger, transferee);
        _node.TransferLeadership(transferee);
        _handOff = input;
        _handOffDeadline = now + (long)(2.0 * _options.ElectionTimeoutMilliseconds / 1000 * Stopwatch.Frequency);
    }

    private void CheckHandOff(long now)
    {
        if (_handOff is not { } handOff)
        {
            return;
        }

        if (_softState.Role != StateRole.Leader || now > _handOffDeadline)
        {
            handOff.Completion.TrySetResult(_softState.Role != StateRole.Leader);
            _handOff = null;
        }
    }

    private void FailPendingMembershipChanges(EtcdException error)
    {
        _membershipInFlight?.Completion.TrySetException(error);
        foreach (var input in _membershipQueue)
        {
            input.Completion.TrySetException(error);
        }

        _handOff?.Completion.TrySetResult(false);
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Membership change applied: {Kind} member {MemberId:x} (peer URLs {PeerUrls}) at index {Index}; the cluster now has {Count} members")]
    private static partial void LogMembershipChanged(ILogger logger, MembershipChangeKind kind, ulong memberId, string peerUrls, ulong index, int count);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Membership change refused: {Kind} member {MemberId:x} at index {Index}: {Reason}")]
    private static partial void LogMembershipChangeRefused(ILogger logger, MembershipChangeKind kind, ulong memberId, ulong index, string reason);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "This member ({MemberId:x}) was removed from the cluster; shutting down")]
    private static partial void LogRemoved(ILogger logger, ulong memberId);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Removing leader {Leader:x}: handing leadership to {Transferee:x} first")]
    private static partial void LogHandingOverBeforeRemoval(ILogger logger, ulong leader, ulong transferee);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Information, Message = "Stopping: handing leadership to {Transferee:x} first")]
    private static partial void LogHandingOverOnStop(ILogger logger, ulong transferee);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "The data dir {DataDir} belongs to member {SavedMember:x} of cluster {SavedCluster:x}; it keeps that identity and ignores the flags' member {FlagsMember:x} of cluster {FlagsCluster:x} (--initial-cluster only shapes a new data dir)")]
    private static partial void LogIdentityFromDataDir(ILogger logger, string dataDir, ulong savedMember, ulong savedCluster, ulong flagsMember, ulong flagsCluster);
}
