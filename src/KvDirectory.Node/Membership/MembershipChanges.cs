using KvDirectory.Node.Loop;
using KvDirectory.Protocol;
using KvDirectory.Raft;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Node.Membership;

/// <summary>
/// Runtime membership changes: proposed one at a time as conf change entries carrying a <see cref="MembershipChange"/>,
/// validated and applied in log order against the replicated <see cref="MemberList"/>, and answered to the member
/// that asked. Touched only by the node's thread.
/// </summary>
internal sealed partial class MembershipChanges(
    RawNode node,
    MemberList members,
    ulong localMemberId,
    int electionTimeoutMilliseconds,
    AttributesPublisher attributes,
    TimeProvider time,
    RemovalNotice removal,
    ILogger logger)
{
    private readonly Queue<MembershipInput> _queue = new();
    private MembershipInput? _inFlight;

    public void Enqueue(MembershipInput input) => _queue.Enqueue(input);

    /// <summary>
    /// Proposes the next queued change once the previous one is done (Raft accepts one pending conf change; a second
    /// would be dropped silently). Removing the current leader first asks it to hand leadership to another member.
    /// </summary>
    public void Submit(long now, SoftState softState)
    {
        attributes.MaybePublish(now, softState);
        if (_inFlight is { } inFlight)
        {
            if (!inFlight.Completion.Task.IsCompleted)
            {
                return;
            }

            _inFlight = null;
        }

        while (_queue.TryPeek(out var next) && next.Completion.Task.IsCompleted)
        {
            _queue.Dequeue();
        }

        if (_queue.Count == 0 || softState.Lead == 0)
        {
            return;
        }

        var input = _queue.Peek();
        var change = input.Change;
        if (change.Kind == MembershipChangeKind.Remove && change.MemberId == softState.Lead && members.Replicated.Members.Count > 1)
        {
            if (input.TransferRequestedAt == 0)
            {
                var transferee = softState.Role == StateRole.Leader ? Transferee.Best(node, localMemberId, change.MemberId) : localMemberId;
                if (transferee != 0)
                {
                    LogHandingOverBeforeRemoval(logger, change.MemberId, transferee);
                    node.TransferLeadership(transferee);
                }

                input.TransferRequestedAt = now;
                return;
            }

            var waited = time.GetElapsedTime(input.TransferRequestedAt, now).TotalMilliseconds;
            if (waited < 2 * electionTimeoutMilliseconds)
            {
                return;
            }
        }

        if (node.ConfChangeMustWait)
        {
            // Proposed now, the change would become a no-op that nobody answers (a leader just elected still has its
            // predecessor's entries to apply): it waits for its turn.
            return;
        }

        _queue.Dequeue();
        if (node.TryProposeConfChange(change.ToConfChange()))
        {
            _inFlight = input;
        }
        else
        {
            input.Completion.TrySetException(new EtcdException(EtcdErrorCode.LeaderElect, "etcdserver: proposal dropped, leadership is changing"));
        }
    }

    /// <summary>
    /// Applies a committed conf change entry; returns the Raft configuration when it changed (null when the change
    /// was refused or undecodable, which every member decides alike).
    /// </summary>
    public ConfState? Apply(Entry entry)
    {
        var change = ConfChange.Decode(entry.Data.Span);
        MembershipChange? membershipChange;
        try
        {
            membershipChange = MembershipChange.FromConfChange(change);
        }
        catch (FormatException error)
        {
            LogBadConfChange(logger, entry.Index, error);
            return null;
        }

        if (membershipChange is null)
        {
            // A bare Raft change (no member record): only the Raft configuration knows about it.
            return node.ApplyConfChange(change);
        }

        MembershipInput? waiting = null;
        if (membershipChange.RequestId != 0 && _inFlight?.Change.RequestId == membershipChange.RequestId)
        {
            waiting = _inFlight;
            _inFlight = null;
        }

        if (MembershipRules.Validate(members.Replicated, membershipChange) is { } refused)
        {
            // Every member refuses it alike (same state, same entry); the Raft configuration stays as it was.
            LogMembershipChangeRefused(logger, membershipChange.Kind, membershipChange.MemberId, entry.Index, MembershipException.Describe(refused));
            waiting?.Completion.TrySetException(new MembershipException(refused));
            return null;
        }

        var confState = node.ApplyConfChange(change);
        var next = MembershipRules.Apply(members.Replicated, membershipChange);
        LogMembershipChanged(logger, membershipChange.Kind, membershipChange.MemberId, string.Join(",", membershipChange.PeerUrls), entry.Index, next.Members.Count);
        var published = members.Replace(next);
        waiting?.Completion.TrySetResult(published);
        if (membershipChange.Kind == MembershipChangeKind.Remove && membershipChange.MemberId == localMemberId && removal.AppliedOwnRemoval())
        {
            LogRemoved(logger, localMemberId, removal.Delay.TotalMilliseconds);
        }

        return confState;
    }

    /// <summary>A member's published name and client URLs; ignored for a member that is not (or no longer) in the list.</summary>
    public void ApplyAttributes(ulong index, ReadOnlySpan<byte> body)
    {
        MemberAttributes published;
        try
        {
            published = MemberAttributes.Decode(body);
        }
        catch (FormatException error)
        {
            LogBadConfChange(logger, index, error);
            return;
        }

        if (MembershipRules.ApplyAttributes(members.Replicated, published) is { } next)
        {
            LogAttributesApplied(logger, published.MemberId, published.Name, string.Join(",", published.ClientUrls), index);
            members.Replace(next);
        }
    }

    /// <summary>A peer said this member was removed: the host is told (once), and shuts down.</summary>
    public void MarkRemoved()
    {
        if (removal.ToldByPeer())
        {
            LogRemoved(logger, localMemberId, 0);
        }
    }

    /// <summary>A change whose entry was lost in a leader change times out, and lets the next queued change go.</summary>
    public void DropAbandoned(long now, long limit, EtcdException timedOut)
    {
        if (_inFlight is { } inFlight && now - inFlight.EnqueuedAt > limit)
        {
            inFlight.Completion.TrySetException(timedOut);
            _inFlight = null;
        }
    }

    public void FailAll(EtcdException error)
    {
        _inFlight?.Completion.TrySetException(error);
        foreach (var input in _queue)
        {
            input.Completion.TrySetException(error);
        }
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Membership change applied: {Kind} member {MemberId:x} (peer URLs {PeerUrls}) at index {Index}; the cluster now has {Count} members")]
    private static partial void LogMembershipChanged(ILogger logger, MembershipChangeKind kind, ulong memberId, string peerUrls, ulong index, int count);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Membership change refused: {Kind} member {MemberId:x} at index {Index}: {Reason}")]
    private static partial void LogMembershipChangeRefused(ILogger logger, MembershipChangeKind kind, ulong memberId, ulong index, string reason);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "This member ({MemberId:x}) was removed from the cluster; shutting down in {DelayMilliseconds} ms")]
    private static partial void LogRemoved(ILogger logger, ulong memberId, double delayMilliseconds);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Removing leader {Leader:x}: handing leadership to {Transferee:x} first")]
    private static partial void LogHandingOverBeforeRemoval(ILogger logger, ulong leader, ulong transferee);

    [LoggerMessage(EventId = 2017, Level = LogLevel.Information, Message = "Member {MemberId:x} published its attributes at index {Index}: name {Name}, client URLs {ClientUrls}")]
    private static partial void LogAttributesApplied(ILogger logger, ulong memberId, string name, string clientUrls, ulong index);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Entry {Index} could not be decoded and was skipped on every member alike")]
    private static partial void LogBadConfChange(ILogger logger, ulong index, Exception? error);
}
