using KvDirectory.Node.Loop;
using KvDirectory.Protocol;
using KvDirectory.Raft;
using KvDirectory.Wire;

namespace KvDirectory.Node.Reads;

/// <summary>
/// Linearizable reads (<c>quorum=true</c>) without a log entry: each asks the core for a ReadIndex, and is answered
/// once this member has applied up to the index the leader confirmed. Node thread only.
/// </summary>
internal sealed class ReadIndexTracker(RawNode node)
{
    private readonly Dictionary<ulong, ReadInput> _pending = [];
    private readonly List<(ulong Index, ReadInput Read)> _waitingForApply = [];

    public void Request(ReadInput read)
    {
        _pending[read.RequestId] = read;
        var context = new byte[8];
        var writer = new WireWriter(context);
        writer.UInt64BigEndian(read.RequestId);
        if (!node.ReadIndex(context))
        {
            _pending.Remove(read.RequestId);
            read.Completion.TrySetException(new EtcdException(EtcdErrorCode.LeaderElect, "etcdserver: no leader"));
        }
    }

    /// <summary>The read points a Ready confirmed.</summary>
    public void Track(IReadOnlyList<ReadState> readStates)
    {
        foreach (var readState in readStates)
        {
            if (readState.Context.Length != 8)
            {
                continue;
            }

            var id = new WireReader(readState.Context.Span).UInt64BigEndian();
            if (_pending.Remove(id, out var read))
            {
                _waitingForApply.Add((readState.Index, read));
            }
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
        foreach (var read in _pending.Values.Concat(_waitingForApply.Select(r => r.Read)))
        {
            read.Completion.TrySetException(error);
        }
    }
}
