using System.Text;

namespace KvDirectory.Raft.Tests.Interaction;

/// <summary>
/// The cluster an interaction script drives: RawNodes with in-memory disks, a lossless network that
/// only delivers when told to, and commands that print what happened in a stable, readable form.
/// </summary>
internal sealed class InteractionCluster
{
    private readonly SortedDictionary<ulong, RawNode> _nodes = [];
    private readonly Dictionary<ulong, MemoryRaftStorage> _disks = [];
    private readonly Dictionary<ulong, List<string>> _applied = [];
    private readonly List<Message> _network = [];
    private readonly HashSet<ulong> _isolated = [];

    public string Execute(string command, IReadOnlyList<string> args)
    {
        var output = new StringBuilder();
        switch (command)
        {
            case "add-nodes":
                AddNodes(int.Parse(args[0]), args.Contains("prevote"), args.Contains("checkquorum"));
                break;
            case "campaign":
                _nodes[Id(args[0])].Campaign();
                break;
            case "propose":
                output.AppendLine(_nodes[Id(args[0])].TryPropose(Encoding.UTF8.GetBytes(args[1])) ? "ok" : "dropped");
                break;
            case "propose-conf-change":
                var type = args[1] switch { "add" => ConfChangeType.AddNode, "learner" => ConfChangeType.AddLearnerNode, _ => ConfChangeType.RemoveNode };
                output.AppendLine(_nodes[Id(args[0])].TryProposeConfChange(new ConfChange(type, Id(args[2]))) ? "ok" : "dropped");
                break;
            case "read-index":
                output.AppendLine(_nodes[Id(args[0])].ReadIndex(Encoding.UTF8.GetBytes(args[1])) ? "ok" : "dropped");
                break;
            case "transfer-leadership":
                _nodes[Id(args[0])].TransferLeadership(Id(args[1]));
                break;
            case "tick":
                for (var i = 0; i < int.Parse(args[1]); i++) _nodes[Id(args[0])].Tick();
                break;
            case "isolate":
                _isolated.Add(Id(args[0]));
                break;
            case "heal":
                _isolated.Clear();
                break;
            case "stabilize":
                Stabilize(output);
                break;
            case "status":
                foreach (var (id, node) in _nodes)
                {
                    var st = node.Status();
                    output.AppendLine($"{id}: {st.SoftState.Role} term={st.HardState.Term} lead={st.SoftState.Lead} commit={st.HardState.Commit} applied={st.Applied} voters=({string.Join(' ', st.Config.Voters)}) learners=({string.Join(' ', st.Config.Learners)})");
                }
                break;
            case "applied":
                foreach (var (id, values) in _applied) output.AppendLine($"{id}: {string.Join(' ', values)}");
                break;
            default:
                throw new InvalidOperationException($"unknown command {command}");
        }
        return output.ToString();
    }

    private static ulong Id(string s) => ulong.Parse(s);

    private void AddNodes(int count, bool preVote, bool checkQuorum)
    {
        var ids = Enumerable.Range(1, count).Select(i => (ulong)i).ToArray();
        foreach (var id in ids)
        {
            _disks[id] = new MemoryRaftStorage();
            _applied[id] = [];
            _nodes[id] = new RawNode(new RaftConfig { Id = id, Storage = _disks[id], PreVote = preVote, CheckQuorum = checkQuorum, Seed = (int)id });
            _nodes[id].Bootstrap(ids);
        }
        Stabilize(new StringBuilder());
    }

    /// <summary>Processes Readies and delivers messages until nothing moves; prints the messages.</summary>
    private void Stabilize(StringBuilder output)
    {
        var moved = true;
        while (moved)
        {
            moved = false;
            foreach (var (id, node) in _nodes)
            {
                while (node.HasReady())
                {
                    moved = true;
                    var ready = node.GetReady();
                    var disk = _disks[id];
                    if (ready.Snapshot is { } s) disk.ApplySnapshot(s);
                    disk.Append(ready.Entries);
                    if (ready.HardState is { } hs) disk.SetHardState(hs);
                    _network.AddRange(ready.Messages);
                    foreach (var e in ready.CommittedEntries)
                    {
                        if (e.Type == EntryType.ConfChange)
                        {
                            var cc = ConfChange.Decode(e.Data.Span);
                            node.ApplyConfChange(cc);
                            if (e.Term > 1) _applied[id].Add($"{cc.Type}({cc.NodeId})");
                        }
                        else if (!e.Data.IsEmpty)
                        {
                            _applied[id].Add(Encoding.UTF8.GetString(e.Data.Span));
                        }
                    }
                    foreach (var rs in ready.ReadStates)
                        output.AppendLine($"{id}: read {Encoding.UTF8.GetString(rs.Context.Span)} at index {rs.Index}");
                    node.Advance(ready);
                }
            }
            var batch = _network.ToArray();
            _network.Clear();
            foreach (var m in batch)
            {
                if (_isolated.Contains(m.From) || _isolated.Contains(m.To) || !_nodes.TryGetValue(m.To, out var target)) continue;
                moved = true;
                output.AppendLine(m.ToString());
                target.Step(m);
            }
        }
    }
}
