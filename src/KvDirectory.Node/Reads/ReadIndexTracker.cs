using KvDirectory.Node.Loop;
using KvDirectory.Protocol;
using KvDirectory.Raft;
using KvDirectory.Wire;

namespace KvDirectory.Node.Reads;

/// <summary>
/// Linearizable reads (<c>quorum=true</c>) without a log entry, batched as etcd's server batches them: one read point
/// (one ReadIndex — a heartbeat round on the leader, one forwarded request and answer on a follower) is confirmed at a
/// time, and every read that arrives meanwhile waits for the next one, which serves all of them. A read point asked
/// for after a read arrived is a valid point for it. Each read is answered once this member has applied up to the
/// index the leader confirmed. Node thread only.
/// </summary>
internal sealed class ReadIndexTracker(RawNode node, Func<ulong> nextRoundId, TimeSpan retryAfter, TimeProvider time)
{
    private readonly List<(ulong Index, ReadInput Read)> _waitingForApply = [];
    private List<ReadInput> _queued = [];
    private List<ReadInput> _inRound = [];
    private ulong _roundId;
    private long _roundStartedAt;
    private ulong _roundLeader;

    public void Request(ReadInput read) => _queued.Add(read);

    /// <summary>
    /// Starts a round for the queued reads when none is in flight; asks again when the one in flight was lost (the
    /// leader changed, or no answer within <c>retryAfter</c>: a leader that heard from no quorum that long steps down).
    /// </summary>
    public void Submit(long now, SoftState softState)
    {
        if (_roundId != 0)
        {
            if (softState.Lead == _roundLeader && time.GetElapsedTime(_roundStartedAt, now) < retryAfter)
            {
                return;
            }

            _inRound.AddRange(_queued);
            _queued.Clear();
        }
        else if (_queued.Count > 0)
        {
            (_inRound, _queued) = (_queued, _inRound);
        }
        else
        {
            return;
        }

        StartRound(now, softState.Lead);
    }

    /// <summary>The read points a Ready confirmed.</summary>
    public void Track(IReadOnlyList<ReadState> readStates)
    {
        foreach (var readState in readStates)
        {
            // A point of an earlier round that was asked again arrives late: its reads wait for the new one.
            if (_roundId == 0 || readState.Context.Length != 8 || new WireReader(readState.Context.Span).UInt64BigEndian() != _roundId)
            {
                continue;
            }

            foreach (var read in _inRound)
            {
                _waitingForApply.Add((readState.Index, read));
            }

            _inRound.Clear();
            _roundId = 0;
        }
    }

    public void CompleteApplied(ulong applied)
    {
        if (_waitingForApply.Count == 0)
        {
            return;
        }

        _waitingForApply.RemoveAll(pending =>
        {
            if (pending.Index > applied)
            {
                return false;
            }

            pending.Read.Completion.TrySetResult(true);
            return true;
        });
    }

    public void FailAll(EtcdException error)
    {
        foreach (var read in _queued.Concat(_inRound).Concat(_waitingForApply.Select(r => r.Read)))
        {
            read.Completion.TrySetException(error);
        }

        _queued.Clear();
        _inRound.Clear();
        _waitingForApply.Clear();
        _roundId = 0;
    }

    private void StartRound(long now, ulong leader)
    {
        _roundId = nextRoundId();
        _roundStartedAt = now;
        _roundLeader = leader;
        var context = new byte[8];
        var writer = new WireWriter(context);
        writer.UInt64BigEndian(_roundId);
        if (!node.ReadIndex(context))
        {
            var noLeader = new EtcdException(EtcdErrorCode.LeaderElect, "etcdserver: no leader");
            foreach (var read in _inRound)
            {
                read.Completion.TrySetException(noLeader);
            }

            _inRound.Clear();
            _roundId = 0;
        }
    }
}
