using KvDirectory.Raft;

namespace KvDirectory.Raft.Benchmarks;

/// <summary>
/// Three members wired by an in-memory, lossless network and driven as the server drives them
/// (persist → send → apply → advance), so the benchmark measures the Raft core and nothing else.
/// </summary>
internal sealed class PerfectCluster
{
    private readonly RawNode[] _nodes;
    private readonly MemoryRaftStorage[] _disks;
    private readonly Queue<Message> _network = new();

    public PerfectCluster(int size)
    {
        var ids = Enumerable.Range(1, size).Select(i => (ulong)i).ToArray();
        _disks = ids.Select(_ => new MemoryRaftStorage()).ToArray();
        _nodes = ids.Select((id, i) => new RawNode(new RaftConfig
        {
            Id = id, Storage = _disks[i], Seed = i, MaxInflightMsgs = 256, MaxSizePerMsg = 1024 * 1024,
        })).ToArray();
        foreach (var n in _nodes) n.Bootstrap(ids);
        Settle();
        _nodes[0].Campaign();
        Settle();
        if (_nodes[0].Raft.Role != StateRole.Leader) throw new InvalidOperationException("node 1 did not win");
    }

    public RawNode Leader => _nodes[0];

    public ulong AppliedOnLeader { get; private set; }

    /// <summary>Runs Ready cycles and delivers messages until every member is idle.</summary>
    public void Settle()
    {
        bool busy;
        do
        {
            busy = false;
            for (var i = 0; i < _nodes.Length; i++)
            {
                var node = _nodes[i];
                if (!node.HasReady()) continue;
                busy = true;
                var ready = node.GetReady();
                var disk = _disks[i];
                if (ready.Snapshot is { } snapshot) disk.ApplySnapshot(snapshot);
                disk.Append(ready.Entries);
                if (ready.HardState is { } hs) disk.SetHardState(hs);
                foreach (var m in ready.Messages) _network.Enqueue(m);
                foreach (var e in ready.CommittedEntries)
                {
                    if (e.Type == EntryType.ConfChange) node.ApplyConfChange(ConfChange.Decode(e.Data.Span));
                    if (i == 0) AppliedOnLeader = e.Index;
                }
                node.Advance(ready);
            }
            while (_network.TryDequeue(out var m))
            {
                busy = true;
                _nodes[(int)m.To - 1].Step(m);
            }
        }
        while (busy);
    }

    /// <summary>Compacts every member's log so memory stays flat across benchmark iterations.</summary>
    public void Compact()
    {
        foreach (var disk in _disks)
        {
            var last = disk.LastIndex();
            if (last > disk.FirstIndex() + 1) disk.Compact(last - 1);
        }
    }
}
