using KvDirectory.Raft.Tracking;

namespace KvDirectory.Raft;

public sealed partial class RaftNode
{
    internal void BecomeFollower(ulong term, ulong lead)
    {
        Reset(term);
        Lead = lead;
        Role = StateRole.Follower;
    }

    private void BecomeCandidate()
    {
        if (Role == StateRole.Leader) throw new InvalidOperationException("invalid transition [leader -> candidate]");
        Reset(Term + 1);
        Vote = Id;
        Role = StateRole.Candidate;
    }

    private void BecomePreCandidate()
    {
        if (Role == StateRole.Leader) throw new InvalidOperationException("invalid transition [leader -> pre-candidate]");
        // Term and vote stay: a pre-candidacy must not disturb anything if it fails.
        Tracker.ResetVotes();
        Lead = 0;
        Role = StateRole.PreCandidate;
    }

    private void BecomeLeader()
    {
        if (Role == StateRole.Follower) throw new InvalidOperationException("invalid transition [follower -> leader]");
        Reset(Term);
        Lead = Id;
        Role = StateRole.Leader;
        if (Tracker.Progress.TryGetValue(Id, out var self)) self.BecomeReplicate();
        // Any conf change in the uncommitted tail may be pending; be conservative until it is applied.
        _pendingConfIndex = Log.LastIndex();
        // An entry of our own term lets us commit (and learn the commit index) through counting (§5.4.2).
        AppendEntry([new Entry(0, 0)]);
    }

    private void Hup(bool transfer)
    {
        if (Role == StateRole.Leader || !Promotable) return;
        if (HasUnappliedConfChanges()) return;
        if (_preVote && !transfer) Campaign(StateRole.PreCandidate, transfer);
        else Campaign(StateRole.Candidate, transfer);
    }

    /// <summary>
    /// A committed but unapplied conf change could change who votes; campaigning before applying it could
    /// use the wrong quorum.
    /// </summary>
    private bool HasUnappliedConfChanges()
    {
        if (Log.Committed <= Log.Applied) return false;
        var lo = Math.Max(Log.Applied + 1, Log.FirstIndex());
        if (lo > Log.Committed) return false;
        foreach (var e in Log.Slice(lo, Log.Committed + 1, ulong.MaxValue))
        {
            if (e.Type == EntryType.ConfChange) return true;
        }
        return false;
    }

    private void Campaign(StateRole role, bool transfer)
    {
        MessageType voteType;
        ulong term;
        if (role == StateRole.PreCandidate)
        {
            BecomePreCandidate();
            voteType = MessageType.MsgPreVote;
            // Ask at the term we would use, without bumping ours yet.
            term = Term + 1;
        }
        else
        {
            BecomeCandidate();
            voteType = MessageType.MsgVote;
            term = Term;
        }
        if (Poll(Id, granted: true) == VoteResult.Won)
        {
            // A single-voter cluster wins immediately.
            if (role == StateRole.PreCandidate) Campaign(StateRole.Candidate, transfer);
            else BecomeLeader();
            return;
        }
        var lastIndex = Log.LastIndex();
        var lastTerm = Log.LastTerm();
        foreach (var id in Tracker.Config.Voters)
        {
            if (id == Id) continue;
            Send(new Message
            {
                To = id, Term = term, Type = voteType, Index = lastIndex, LogTerm = lastTerm,
                Context = transfer ? CampaignTransferContext : ReadOnlyMemory<byte>.Empty,
            });
        }
    }

    private VoteResult Poll(ulong from, bool granted)
    {
        Tracker.RecordVote(from, granted);
        return Tracker.TallyVotes().Result;
    }

    private void HandleVoteResponse(Message m)
    {
        switch (Poll(m.From, !m.Reject))
        {
            case VoteResult.Won:
                if (Role == StateRole.PreCandidate)
                {
                    Campaign(StateRole.Candidate, transfer: false);
                }
                else
                {
                    BecomeLeader();
                    BroadcastAppend();
                }
                break;
            case VoteResult.Lost:
                // A rejection from a higher term already made us a follower in Step; this is the same-term case.
                BecomeFollower(Term, 0);
                break;
        }
    }
}
