namespace KvDirectory.Raft;

/// <summary>
/// Read-index requests awaiting a heartbeat quorum. Each request is identified by its context;
/// a quorum ack for one request also confirms every request queued before it.
/// </summary>
internal sealed class ReadIndexTracker
{
    private readonly Dictionary<string, Pending> _pending = [];
    private readonly List<string> _queue = [];

    public bool HasPending => _queue.Count > 0;

    public void AddRequest(ulong index, Message request)
    {
        var key = Key(request.Entries[0].Data);
        if (_pending.ContainsKey(key)) return;
        _pending[key] = new Pending(index, request, []);
        _queue.Add(key);
    }

    /// <summary>Records a heartbeat ack carrying <paramref name="context"/>; returns who has acked so far.</summary>
    public IReadOnlySet<ulong>? RecvAck(ulong from, ReadOnlyMemory<byte> context)
    {
        if (!_pending.TryGetValue(Key(context), out var p)) return null;
        p.Acks.Add(from);
        return p.Acks;
    }

    /// <summary>Removes and returns every request up to and including the one identified by <paramref name="context"/>.</summary>
    public List<(ulong Index, Message Request)> Advance(ReadOnlyMemory<byte> context)
    {
        var key = Key(context);
        var at = _queue.IndexOf(key);
        if (at < 0) return [];
        var result = new List<(ulong, Message)>(at + 1);
        for (var i = 0; i <= at; i++)
        {
            var p = _pending[_queue[i]];
            _pending.Remove(_queue[i]);
            result.Add((p.Index, p.Request));
        }
        _queue.RemoveRange(0, at + 1);
        return result;
    }

    public ReadOnlyMemory<byte> LastPendingContext() =>
        _queue.Count == 0 ? ReadOnlyMemory<byte>.Empty : _pending[_queue[^1]].Request.Entries[0].Data;

    public void Clear()
    {
        _pending.Clear();
        _queue.Clear();
    }

    private static string Key(ReadOnlyMemory<byte> context) => Convert.ToBase64String(context.Span);

    private sealed record Pending(ulong Index, Message Request, HashSet<ulong> Acks);
}
