namespace KvDirectory.Raft;

public sealed partial class RaftNode
{
    /// <summary>
    /// The index a ReadIndex request would be answered with at once, when no other member could confirm or contradict
    /// it: this node leads, is the only voter, has no learners, and has committed an entry of its term (so its commit
    /// index covers everything an earlier leader committed). Otherwise null, and a read point takes a ReadIndex round.
    /// </summary>
    public ulong? SoleVoterReadIndex =>
        Role == StateRole.Leader && Tracker.Config is { Voters.Count: 1, Learners.Count: 0 } && Tracker.IsVoter(Id) && CommittedEntryInCurrentTerm
            ? Log.Committed
            : null;

    private void HandleReadIndexRequest(Message m)
    {
        if (Tracker.Config.Voters.Count == 1 && Tracker.IsVoter(Id))
        {
            // A single voter is its own quorum: the commit index is already confirmed.
            RespondToReadIndex(m, Log.Committed);
            return;
        }
        if (!CommittedEntryInCurrentTerm)
        {
            // Until an entry of our term commits, our commit index may lag the previous leader's; answering
            // now could hand out an index that misses acknowledged writes.
            _pendingReadIndexMessages.Add(m);
            return;
        }
        StartReadIndexRound(m);
    }

    private void StartReadIndexRound(Message m)
    {
        var context = m.Entries[0].Data;
        _readIndex.AddRequest(Log.Committed, m);
        _readIndex.RecvAck(Id, context);
        BroadcastHeartbeat(context);
    }

    private void HandleReadIndexAck(Message m)
    {
        var acks = _readIndex.RecvAck(m.From, m.Context);
        if (acks is null) return;
        var votes = 0;
        foreach (var id in Tracker.Config.Voters)
        {
            if (acks.Contains(id)) votes++;
        }
        if (votes < Tracker.Quorum) return;
        foreach (var (index, request) in _readIndex.Advance(m.Context)) RespondToReadIndex(request, index);
    }

    private void ReleasePendingReadIndexMessages()
    {
        if (_pendingReadIndexMessages.Count == 0 || !CommittedEntryInCurrentTerm) return;
        var pending = _pendingReadIndexMessages.ToArray();
        _pendingReadIndexMessages.Clear();
        foreach (var m in pending) StartReadIndexRound(m);
    }

    private void RespondToReadIndex(Message request, ulong index)
    {
        if (request.From == 0 || request.From == Id)
        {
            ReadStates.Add(new ReadState(index, request.Entries[0].Data));
            return;
        }
        Send(new Message { To = request.From, Type = MessageType.MsgReadIndexResp, Index = index, Entries = request.Entries });
    }
}
