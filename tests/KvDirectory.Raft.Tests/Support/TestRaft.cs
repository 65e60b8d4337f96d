using System.Text;

namespace KvDirectory.Raft.Tests.Support;

/// <summary>Builders for nodes, entries and messages used across the tests.</summary>
internal static class TestRaft
{
    public static RaftNode New(
        ulong id, ulong[] peers, int election = 10, int heartbeat = 1, MemoryRaftStorage? storage = null,
        bool preVote = false, bool checkQuorum = false, int seed = 0, ulong maxSizePerMsg = ulong.MaxValue,
        ulong[]? learners = null) =>
        new(new RaftConfig
        {
            Id = id,
            Storage = storage ?? new MemoryRaftStorage(new ConfState(peers, learners ?? [])),
            ElectionTick = election,
            HeartbeatTick = heartbeat,
            PreVote = preVote,
            CheckQuorum = checkQuorum,
            Seed = seed + (int)id,
            MaxSizePerMsg = maxSizePerMsg,
            MaxInflightMsgs = 256,
        });

    /// <summary>A storage holding the given terms as entries 1..n, with the given membership.</summary>
    public static MemoryRaftStorage StorageWithTerms(ulong[] peers, params ulong[] terms)
    {
        var storage = new MemoryRaftStorage(new ConfState(peers));
        storage.Append(terms.Select((t, i) => new Entry(t, (ulong)i + 1)).ToArray());
        return storage;
    }

    public static Message Hup(ulong id) => new() { From = id, To = id, Type = MessageType.MsgHup };

    public static Entry Data(string data) => new(0, 0, EntryType.Normal, Encoding.UTF8.GetBytes(data));

    public static void TickElection(this RaftNode node, int ticks = 20)
    {
        for (var i = 0; i < ticks; i++) node.Tick();
    }

    public static List<Message> Take(this RaftNode node) => node.TakeMessages();

    public static IReadOnlyList<Entry> AllEntries(this RaftNode node) =>
        node.Log.Slice(node.Log.FirstIndex(), node.Log.LastIndex() + 1, ulong.MaxValue);

    /// <summary>Persists the node's unstable entries into its storage, as a driver would.</summary>
    public static void Persist(this RaftNode node, MemoryRaftStorage storage)
    {
        var entries = node.Log.UnstableEntries();
        storage.Append(entries);
        if (entries.Count > 0) node.Log.Unstable.StableTo(entries[^1].Index, entries[^1].Term);
    }
}
