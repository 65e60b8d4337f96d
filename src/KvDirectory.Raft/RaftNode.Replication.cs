using KvDirectory.Raft.Tracking;

namespace KvDirectory.Raft;

public sealed partial class RaftNode
{
    /// <summary>Appends entries of the current term to the leader's own log and counts itself.</summary>
    private bool AppendEntry(IReadOnlyList<Entry> entries)
    {
        var last = Log.LastIndex();
        var stamped = new Entry[entries.Count];
        for (var i = 0; i < entries.Count; i++)
            stamped[i] = entries[i] with { Term = Term, Index = last + 1 + (ulong)i };
        last = Log.Append(stamped);
        // The leader's own entries are counted as soon as appended; the driver persists them before
        // applying anything that this count may commit.
        if (Tracker.Progress.TryGetValue(Id, out var self)) self.MaybeUpdate(last);
        MaybeCommit();
        return true;
    }

    /// <summary>Advances the commit index to the quorum match index if that entry is from this term.</summary>
    private bool MaybeCommit() => Log.MaybeCommit(Tracker.Committed(), Term);

    private void BroadcastAppend()
    {
        foreach (var id in Tracker.Progress.Keys)
        {
            if (id != Id) SendAppend(id);
        }
    }

    private void BroadcastHeartbeat()
    {
        var context = _readIndex.LastPendingContext();
        foreach (var id in Tracker.Progress.Keys)
        {
            if (id != Id) SendHeartbeat(id, context);
        }
    }

    private void BroadcastHeartbeat(ReadOnlyMemory<byte> context)
    {
        foreach (var id in Tracker.Progress.Keys)
        {
            if (id != Id) SendHeartbeat(id, context);
        }
    }

    private void SendHeartbeat(ulong to, ReadOnlyMemory<byte> context)
    {
        // Never tell a follower to commit beyond what it is known to have: it may not have those entries.
        var commit = Math.Min(Tracker.Progress[to].Match, Log.Committed);
        Send(new Message { To = to, Type = MessageType.MsgHeartbeat, Commit = commit, Context = context });
    }

    private void SendAppend(ulong to) => MaybeSendAppend(to, sendIfEmpty: true);

    /// <summary>
    /// Sends the next batch of entries (or a snapshot when they are compacted) to <paramref name="to"/>;
    /// returns false when nothing was sent because the follower is paused or there is nothing new.
    /// </summary>
    private bool MaybeSendAppend(ulong to, bool sendIfEmpty)
    {
        if (!Tracker.Progress.TryGetValue(to, out var pr) || pr.IsPaused) return false;
        var prevTerm = Log.MaybeTerm(pr.Next - 1);
        IReadOnlyList<Entry>? entries = null;
        if (prevTerm is not null && pr.Next >= Log.FirstIndex())
        {
            entries = Log.Entries(pr.Next, _maxMsgSize);
            if (entries.Count == 0 && !sendIfEmpty) return false;
        }
        if (prevTerm is null || entries is null)
        {
            return MaybeSendSnapshot(to, pr);
        }
        Send(new Message
        {
            To = to, Type = MessageType.MsgApp, Index = pr.Next - 1, LogTerm = prevTerm.Value,
            Entries = entries, Commit = Log.Committed,
        });
        pr.SentEntries(entries.Count, entries.Count > 0 ? entries[^1].Index : 0);
        return true;
    }

    private bool MaybeSendSnapshot(ulong to, Progress pr)
    {
        // A follower we have not heard from lately may be down; do not ship a large snapshot into the void.
        if (!pr.RecentActive) return false;
        Snapshot snapshot;
        try
        {
            snapshot = Log.Snapshot();
        }
        catch (SnapshotTemporarilyUnavailableException)
        {
            return false;
        }
        if (snapshot.IsEmpty) throw new InvalidOperationException("need non-empty snapshot");
        pr.BecomeSnapshot(snapshot.Metadata.Index);
        Send(new Message { To = to, Type = MessageType.MsgSnap, Snapshot = snapshot });
        return true;
    }

    private void HandleAppendEntries(Message m)
    {
        if (m.Index < Log.Committed)
        {
            Send(new Message { To = m.From, Type = MessageType.MsgAppResp, Index = Log.Committed });
            return;
        }
        if (Log.MaybeAppend(m.Index, m.LogTerm, m.Commit, m.Entries) is { } lastNew)
        {
            Send(new Message { To = m.From, Type = MessageType.MsgAppResp, Index = lastNew });
            return;
        }
        // Hint the leader at the last index whose term is not above the leader's term there, so it can
        // skip whole terms of divergent entries instead of probing one index at a time.
        var (hintIndex, hintTerm) = Log.FindConflictByTerm(Math.Min(m.Index, Log.LastIndex()), m.LogTerm);
        Send(new Message
        {
            To = m.From, Type = MessageType.MsgAppResp, Index = m.Index, Reject = true,
            RejectHint = hintIndex, LogTerm = hintTerm,
        });
    }

    private void HandleHeartbeat(Message m)
    {
        Log.CommitTo(Math.Min(m.Commit, Log.LastIndex()));
        Send(new Message { To = m.From, Type = MessageType.MsgHeartbeatResp, Context = m.Context });
    }

    private void HandleSnapshot(Message m)
    {
        var snapshot = m.Snapshot ?? Snapshot.Empty;
        if (Restore(snapshot))
            Send(new Message { To = m.From, Type = MessageType.MsgAppResp, Index = Log.LastIndex() });
        else
            Send(new Message { To = m.From, Type = MessageType.MsgAppResp, Index = Log.Committed });
    }

    /// <summary>Replaces the log with a snapshot; false when the snapshot brings nothing new.</summary>
    private bool Restore(Snapshot snapshot)
    {
        if (snapshot.IsEmpty || snapshot.Metadata.Index <= Log.Committed) return false;
        if (Role != StateRole.Follower)
        {
            // Only a leader's message brings a snapshot, and that made us a follower; defend anyway.
            BecomeFollower(Term + 1, 0);
            return false;
        }
        // A snapshot taken before this member was added does not list it; installing it is still right:
        // the conf change that added us follows in the log and is applied after the snapshot.
        var conf = snapshot.Metadata.ConfState;
        if (Log.MatchTerm(snapshot.Metadata.Index, snapshot.Metadata.Term))
        {
            // We already have the entry the snapshot ends at: just fast-forward the commit index.
            Log.CommitTo(snapshot.Metadata.Index);
            return false;
        }
        Log.Restore(snapshot);
        Tracker.SetConfig(conf, Log.LastIndex() + 1);
        var last = Log.LastIndex();
        foreach (var (id, pr) in Tracker.Progress) pr.Reset(last + 1, id == Id ? last : 0);
        return true;
    }
}
