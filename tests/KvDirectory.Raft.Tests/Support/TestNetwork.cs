namespace KvDirectory.Raft.Tests.Support;

/// <summary>
/// Connects <see cref="RaftNode"/>s directly: <see cref="Send"/> delivers messages, and every message they
/// produce in turn, until the network is quiet. Links can be cut and message types dropped.
/// </summary>
internal sealed class TestNetwork
{
    private readonly HashSet<(ulong From, ulong To)> _cut = [];
    private readonly HashSet<MessageType> _ignored = [];

    public TestNetwork(params RaftNode[] nodes)
    {
        foreach (var n in nodes) Nodes[n.Id] = n;
    }

    public Dictionary<ulong, RaftNode> Nodes { get; } = [];

    public RaftNode this[ulong id] => Nodes[id];

    /// <summary>A cluster of fresh members 1..count with the given options.</summary>
    public static TestNetwork Create(int count, bool preVote = false, bool checkQuorum = false)
    {
        var ids = Enumerable.Range(1, count).Select(i => (ulong)i).ToArray();
        return new TestNetwork(ids.Select(id => TestRaft.New(id, ids, preVote: preVote, checkQuorum: checkQuorum)).ToArray());
    }

    public void Cut(ulong a, ulong b)
    {
        _cut.Add((a, b));
        _cut.Add((b, a));
    }

    public void Isolate(ulong id)
    {
        foreach (var other in Nodes.Keys)
        {
            if (other != id) Cut(id, other);
        }
    }

    public void Ignore(MessageType type) => _ignored.Add(type);

    public void Recover()
    {
        _cut.Clear();
        _ignored.Clear();
    }

    /// <summary>Delivers the messages and all their consequences; returns every message that was delivered.</summary>
    public List<Message> Send(params Message[] messages)
    {
        var delivered = new List<Message>();
        var queue = new Queue<Message>(messages);
        while (queue.Count > 0)
        {
            var m = queue.Dequeue();
            if (_cut.Contains((m.From, m.To)) || _ignored.Contains(m.Type) || !Nodes.TryGetValue(m.To, out var node)) continue;
            delivered.Add(m);
            node.Step(m);
            foreach (var produced in node.TakeMessages()) queue.Enqueue(produced);
        }
        return delivered;
    }

    public void Campaign(ulong id) => Send(TestRaft.Hup(id));

    /// <summary>Proposes data at <paramref name="id"/> and delivers everything that follows.</summary>
    public void Propose(ulong id, string data = "somedata") =>
        Send(new Message { From = id, To = id, Type = MessageType.MsgProp, Entries = [TestRaft.Data(data)] });

    /// <summary>Ticks a node until it produced messages, delivering them.</summary>
    public void TickUntilMessages(ulong id, int maxTicks = 100)
    {
        var node = Nodes[id];
        for (var i = 0; i < maxTicks && node.Messages.Count == 0; i++) node.Tick();
        Send([.. node.TakeMessages()]);
    }
}
