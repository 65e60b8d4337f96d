namespace KvDirectory.Raft;

public sealed partial class RaftNode
{
    internal void BootstrapMembership(IReadOnlyList<ConfChange> initialMembers)
    {
        BecomeFollower(1, 0);
        var entries = new Entry[initialMembers.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new Entry(1, (ulong)i + 1, EntryType.ConfChange, initialMembers[i].Encode());
        }
        Log.Append(entries);
        // Every member bootstraps the same entries, so they are committed by construction.
        Log.CommitTo((ulong)entries.Length);
        foreach (var change in initialMembers) ApplyConfChange(change);
    }

    /// <summary>
    /// Applies a committed membership change and returns the new configuration. Called by the driver when
    /// it applies a <see cref="EntryType.ConfChange"/> entry; the change takes effect only then.
    /// </summary>
    internal ConfState ApplyConfChange(ConfChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var current = Tracker.Config;
        var voters = current.Voters.ToHashSet();
        var learners = current.Learners.ToHashSet();
        switch (change.Type)
        {
            case ConfChangeType.AddNode:
                voters.Add(change.NodeId);
                learners.Remove(change.NodeId);
                break;
            case ConfChangeType.AddLearnerNode:
                learners.Add(change.NodeId);
                voters.Remove(change.NodeId);
                break;
            case ConfChangeType.RemoveNode:
                voters.Remove(change.NodeId);
                learners.Remove(change.NodeId);
                break;
            case ConfChangeType.UpdateNode:
                return current;
        }
        var next = new ConfState(voters, learners);
        Tracker.SetConfig(next, Log.LastIndex() + 1);

        // A leader removed from the voters leads on (taking no new proposals, see HandleProposal) until its host stops
        // it, as etcd's does: its appends and heartbeats are how the others learn that its removal committed. Stepping
        // down at once could leave them without that commit, still counting it a voter; of two members, the one left
        // then needs the vote of one that is gone for good.
        if (Role != StateRole.Leader || next.Voters.Count == 0) return next;

        // The quorum changed: removing a voter may commit entries at once, and new members need appends.
        if (MaybeCommit())
        {
            ReleasePendingReadIndexMessages();
            ScheduleBroadcastAppend();
        }
        else
        {
            foreach (var id in Tracker.Progress.Keys)
            {
                if (id != Id) MaybeSendAppend(id, sendIfEmpty: false);
            }
        }
        if (LeadTransferee != 0 && !Tracker.IsVoter(LeadTransferee)) AbortLeaderTransfer();
        return next;
    }
}
