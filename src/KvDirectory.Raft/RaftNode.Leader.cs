using KvDirectory.Raft.Tracking;

namespace KvDirectory.Raft;

public sealed partial class RaftNode
{
    private bool StepLeader(Message m)
    {
        switch (m.Type)
        {
            case MessageType.MsgBeat:
                BroadcastHeartbeat();
                return true;
            case MessageType.MsgCheckQuorum:
                if (!Tracker.QuorumActive(Id)) BecomeFollower(Term, 0);
                foreach (var (id, progress) in Tracker.Progress)
                {
                    if (id != Id) progress.RecentActive = false;
                }
                return true;
            case MessageType.MsgProp:
                return HandleProposal(m);
            case MessageType.MsgReadIndex:
                HandleReadIndexRequest(m);
                return true;
        }

        if (!Tracker.Progress.TryGetValue(m.From, out var pr)) return true;
        switch (m.Type)
        {
            case MessageType.MsgAppResp:
                HandleAppendResponse(m, pr);
                break;
            case MessageType.MsgHeartbeatResp:
                pr.RecentActive = true;
                pr.ResumeProbe();
                // Appends of a full window may have been lost; let one more through so replication can recover.
                if (pr.State == ProgressState.Replicate && pr.Inflights.IsFull) pr.Inflights.FreeFirstOne();
                if (pr.Match < Log.LastIndex()) SendAppend(m.From);
                if (!m.Context.IsEmpty) HandleReadIndexAck(m);
                break;
            case MessageType.MsgSnapStatus:
                if (pr.State != ProgressState.Snapshot) break;
                // Success or failure, fall back to probing; wait for a heartbeat response before the next
                // append so a failed snapshot is not immediately retried in a tight loop.
                if (m.Reject) pr.SnapshotFailed();
                pr.BecomeProbe();
                pr.SentEntries(0, 0);
                break;
            case MessageType.MsgUnreachable:
                // Optimistic pipelining into an unreachable peer only loses messages; probe instead.
                if (pr.State == ProgressState.Replicate) pr.BecomeProbe();
                break;
            case MessageType.MsgTransferLeader:
                HandleTransferLeader(m.From, pr);
                break;
        }
        return true;
    }

    private bool HandleProposal(Message m)
    {
        if (m.Entries.Count == 0) throw new InvalidOperationException("stepped empty MsgProp");
        // A leader removed from the configuration, or handing over leadership, takes no new work.
        if (!Tracker.Progress.ContainsKey(Id) || LeadTransferee != 0) return false;
        var entries = m.Entries;
        Entry[]? rewritten = null;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Type != EntryType.ConfChange) continue;
            if (_pendingConfIndex > Log.Applied)
            {
                // Only one membership change may be in flight; later ones become no-ops.
                rewritten ??= [.. entries];
                rewritten[i] = new Entry(0, 0);
            }
            else
            {
                _pendingConfIndex = Log.LastIndex() + (ulong)i + 1;
            }
        }
        AppendEntry(rewritten ?? entries);
        BroadcastAppend();
        return true;
    }

    private void HandleAppendResponse(Message m, Progress pr)
    {
        pr.RecentActive = true;
        if (m.Reject)
        {
            var nextProbe = m.RejectHint;
            if (m.LogTerm > 0) nextProbe = Log.FindConflictByTerm(m.RejectHint, m.LogTerm).Index;
            if (pr.MaybeDecrTo(m.Index, nextProbe))
            {
                if (pr.State == ProgressState.Replicate) pr.BecomeProbe();
                SendAppend(m.From);
            }
            return;
        }

        var wasPaused = pr.IsPaused;
        if (!pr.MaybeUpdate(m.Index)) return;
        switch (pr.State)
        {
            case ProgressState.Probe:
                pr.BecomeReplicate();
                break;
            case ProgressState.Snapshot when pr.Match >= pr.PendingSnapshot:
                pr.BecomeProbe();
                pr.BecomeReplicate();
                break;
            case ProgressState.Replicate:
                pr.Inflights.FreeLE(m.Index);
                break;
        }
        if (MaybeCommit())
        {
            ReleasePendingReadIndexMessages();
            BroadcastAppend();
        }
        else if (wasPaused)
        {
            SendAppend(m.From);
        }
        // Fill the pipeline: keep sending while the window allows and there is more to send.
        while (MaybeSendAppend(m.From, sendIfEmpty: false))
        {
        }
        if (m.From == LeadTransferee && pr.Match == Log.LastIndex()) SendTimeoutNow(m.From);
    }

    private void HandleTransferLeader(ulong transferee, Progress pr)
    {
        if (pr.IsLearner) return;
        if (LeadTransferee != 0)
        {
            if (LeadTransferee == transferee) return;
            AbortLeaderTransfer();
        }
        if (transferee == Id) return;
        // The transfer must finish within one election timeout or it is abandoned (see TickHeartbeat).
        _electionElapsed = 0;
        LeadTransferee = transferee;
        if (pr.Match == Log.LastIndex()) SendTimeoutNow(transferee);
        else SendAppend(transferee);
    }

    private void SendTimeoutNow(ulong to) => Send(new Message { To = to, Type = MessageType.MsgTimeoutNow });
}
