namespace KvDirectory.Raft;

public sealed partial class RaftNode
{
    /// <summary>
    /// Feeds one message into the state machine. Returns false when a proposal (or another request that
    /// needs a leader) was dropped, so the caller can retry elsewhere.
    /// </summary>
    public bool Step(Message m)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.Term == 0)
        {
            // Local message: no term handling.
        }
        else if (m.Term > Term)
        {
            if (m.Type is MessageType.MsgVote or MessageType.MsgPreVote)
            {
                var force = m.Context.Span.SequenceEqual(CampaignTransferContext);
                // Leader stickiness: while we hear from a live leader, a vote request is most likely from a
                // node that was partitioned away; ignoring it keeps it from deposing a healthy leader.
                var inLease = _checkQuorum && Lead != 0 && _electionElapsed < _electionTimeout;
                if (!force && inLease) return true;
            }
            if (m.Type == MessageType.MsgPreVote)
            {
                // A pre-vote never changes our term.
            }
            else if (m.Type == MessageType.MsgPreVoteResp && !m.Reject)
            {
                // The term in a granted pre-vote is the one we are about to campaign in; the real vote decides.
            }
            else if (m.Type is MessageType.MsgApp or MessageType.MsgHeartbeat or MessageType.MsgSnap)
            {
                BecomeFollower(m.Term, m.From);
            }
            else
            {
                BecomeFollower(m.Term, 0);
            }
        }
        else if (m.Term < Term)
        {
            if ((_checkQuorum || _preVote) && m.Type is MessageType.MsgHeartbeat or MessageType.MsgApp)
            {
                // A stale leader that we ignore would never learn of the newer term (with check-quorum or
                // pre-vote we no longer bump terms when it contacts us); answer so it steps down.
                Send(new Message { To = m.From, Type = MessageType.MsgAppResp });
            }
            else if (m.Type == MessageType.MsgPreVote)
            {
                // Reject explicitly so a pre-candidate with a stale term learns ours and does not wait forever.
                Send(new Message { To = m.From, Term = Term, Type = MessageType.MsgPreVoteResp, Reject = true });
            }
            return true;
        }

        switch (m.Type)
        {
            case MessageType.MsgHup:
                Hup(transfer: false);
                return true;
            case MessageType.MsgVote:
            case MessageType.MsgPreVote:
                HandleVoteRequest(m);
                return true;
            default:
                return Role switch
                {
                    StateRole.Leader => StepLeader(m),
                    StateRole.Candidate or StateRole.PreCandidate => StepCandidate(m),
                    _ => StepFollower(m),
                };
        }
    }

    private void HandleVoteRequest(Message m)
    {
        var canVote = Vote == m.From
            || (Vote == 0 && Lead == 0)
            || (m.Type == MessageType.MsgPreVote && m.Term > Term);
        if (canVote && Log.IsUpToDate(m.Index, m.LogTerm))
        {
            // The granted response carries the request's term so a pre-candidate can match it to its round.
            Send(new Message { To = m.From, Term = m.Term, Type = m.Type.VoteResponse() });
            if (m.Type == MessageType.MsgVote)
            {
                _electionElapsed = 0;
                Vote = m.From;
            }
        }
        else
        {
            Send(new Message { To = m.From, Term = Term, Type = m.Type.VoteResponse(), Reject = true });
        }
    }

    private bool StepFollower(Message m)
    {
        switch (m.Type)
        {
            case MessageType.MsgProp:
            case MessageType.MsgTransferLeader:
            case MessageType.MsgReadIndex:
                if (Lead == 0) return false;
                Send(m with { To = Lead });
                return true;
            case MessageType.MsgApp:
                _electionElapsed = 0;
                Lead = m.From;
                HandleAppendEntries(m);
                return true;
            case MessageType.MsgHeartbeat:
                _electionElapsed = 0;
                Lead = m.From;
                HandleHeartbeat(m);
                return true;
            case MessageType.MsgSnap:
                _electionElapsed = 0;
                Lead = m.From;
                HandleSnapshot(m);
                return true;
            case MessageType.MsgTimeoutNow:
                // Campaign at once, skipping pre-vote: the leader itself asked us to take over.
                Hup(transfer: true);
                return true;
            case MessageType.MsgReadIndexResp:
                if (m.Entries.Count == 1) ReadStates.Add(new ReadState(m.Index, m.Entries[0].Data));
                return true;
            default:
                return true;
        }
    }

    private bool StepCandidate(Message m)
    {
        var myVoteResponse = Role == StateRole.PreCandidate ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
        switch (m.Type)
        {
            case MessageType.MsgProp:
            case MessageType.MsgReadIndex:
            case MessageType.MsgTransferLeader:
                return false;
            case MessageType.MsgApp:
                BecomeFollower(m.Term, m.From);
                HandleAppendEntries(m);
                return true;
            case MessageType.MsgHeartbeat:
                BecomeFollower(m.Term, m.From);
                HandleHeartbeat(m);
                return true;
            case MessageType.MsgSnap:
                BecomeFollower(m.Term, m.From);
                HandleSnapshot(m);
                return true;
            default:
                if (m.Type == myVoteResponse) HandleVoteResponse(m);
                return true;
        }
    }
}
