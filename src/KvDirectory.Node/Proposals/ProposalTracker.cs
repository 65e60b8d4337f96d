using KvDirectory.Node.Loop;
using KvDirectory.Protocol;
using KvDirectory.Raft;

namespace KvDirectory.Node.Proposals;

/// <summary>
/// The writes this member proposed and waits for: queued while no leader is known, proposed as one batch as soon as
/// one is, and completed by request id when their entries are applied (or failed on timeout). Node thread only.
/// </summary>
internal sealed class ProposalTracker(RawNode node)
{
    private readonly Dictionary<ulong, ProposalInput> _pending = [];
    private readonly List<ProposalInput> _waitingForLeader = [];

    public void Add(ProposalInput proposal) => _waitingForLeader.Add(proposal);

    /// <summary>Proposes everything waiting, once a leader is known.</summary>
    public void Submit(SoftState softState)
    {
        if (_waitingForLeader.Count == 0 || softState.Lead == 0)
        {
            return;
        }

        // One message for the whole batch: on a follower that is one forwarded MsgProp, not one per write.
        _waitingForLeader.RemoveAll(p => p.Completion.Task.IsCompleted);
        if (_waitingForLeader.Count == 0)
        {
            return;
        }

        var payloads = new ReadOnlyMemory<byte>[_waitingForLeader.Count];
        for (var i = 0; i < payloads.Length; i++)
        {
            payloads[i] = _waitingForLeader[i].Payload;
        }

        var accepted = node.TryPropose(payloads);
        foreach (var proposal in _waitingForLeader)
        {
            if (accepted)
            {
                _pending[proposal.RequestId] = proposal;
            }
            else
            {
                proposal.Completion.TrySetException(new EtcdException(EtcdErrorCode.LeaderElect, "etcdserver: proposal dropped, leadership is changing"));
            }
        }

        _waitingForLeader.Clear();
    }

    /// <summary>The proposal an applied entry answers, if this member proposed it and still waits.</summary>
    public ProposalInput? Take(ulong requestId) => _pending.Remove(requestId, out var waiting) ? waiting : null;

    /// <summary>Proposals older than <paramref name="limit"/> ticks: their entries were lost in a leader change.</summary>
    public void DropAbandoned(long now, long limit, EtcdException timedOut)
    {
        for (var i = _waitingForLeader.Count - 1; i >= 0; i--)
        {
            if (now - _waitingForLeader[i].EnqueuedAt > limit)
            {
                _waitingForLeader[i].Completion.TrySetException(timedOut);
                _waitingForLeader.RemoveAt(i);
            }
        }

        foreach (var (id, proposal) in _pending.Where(p => now - p.Value.EnqueuedAt > limit).ToArray())
        {
            // The caller already got a timeout.
            _pending.Remove(id);
            proposal.Completion.TrySetException(timedOut);
        }
    }

    public void FailAll(EtcdException error)
    {
        foreach (var proposal in _pending.Values.Concat(_waitingForLeader))
        {
            proposal.Completion.TrySetException(error);
        }
    }
}
