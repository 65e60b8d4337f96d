using System.Buffers.Binary;
using KvDirectory.Raft;

namespace KvDirectory.Raft.Tests.Simulation;

/// <summary>
/// One member of the simulated cluster: a <see cref="RawNode"/> driven as the server will drive it, and
/// a <see cref="MemoryRaftStorage"/> acting as its disk, which alone survives a crash.
/// </summary>
internal sealed class SimulatedNode
{
    private readonly SimulationOptions _options;
    private readonly int _seed;
    private int _incarnation;

    /// <summary>A member that bootstraps the cluster with <paramref name="initialVoters"/>, or a spare when empty.</summary>
    public SimulatedNode(ulong id, IReadOnlyCollection<ulong> initialVoters, SimulationOptions options, int seed)
    {
        Id = id;
        _options = options;
        _seed = seed;
        Disk = new MemoryRaftStorage();
        Start();
        if (initialVoters.Count > 0) Raft!.Bootstrap(initialVoters);
    }

    public ulong Id { get; }

    public MemoryRaftStorage Disk { get; }

    /// <summary>Null while crashed.</summary>
    public RawNode? Raft { get; private set; }

    public bool IsUp => Raft is not null;

    /// <summary>The application's state: the last applied index. It is as durable as the latest snapshot.</summary>
    public ulong Applied { get; set; }

    /// <summary>The membership as the application has applied it.</summary>
    public ConfState Conf { get; set; } = ConfState.Empty;

    public ulong LastCommitSeen { get; set; }

    /// <summary>
    /// Members this member has applied the removal of: its transport refuses their traffic and stops sending to
    /// them, as a real member's does (etcd's rafthttp answers 410 Gone by its own applied membership). Part of
    /// the application state, so it is as durable as the latest snapshot and travels inside it.
    /// </summary>
    public HashSet<ulong> RemovedPeers { get; private set; } = [];

    /// <summary>Applies a membership change to <see cref="RemovedPeers"/>; the simulator may re-add a removed member.</summary>
    public void OnConfChangeApplied(ConfChange change)
    {
        if (change.Type == ConfChangeType.RemoveNode) RemovedPeers.Add(change.NodeId);
        else RemovedPeers.Remove(change.NodeId);
    }

    /// <summary>Restores the application state a snapshot carries.</summary>
    public void OnSnapshotRestored(Snapshot snapshot)
    {
        Applied = snapshot.Metadata.Index;
        Conf = snapshot.Metadata.ConfState;
        RemovedPeers = DecodeRemovedPeers(snapshot.Data.Span);
    }

    public void Crash() => Raft = null;

    /// <summary>A member that applied its own removal shuts down for good, as the server does; its id is never reused.</summary>
    public bool Retired { get; private set; }

    /// <summary>Ticks left before a removed member shuts down (etcd lingers about ten heartbeats; see the options).</summary>
    public int? RetiresIn { get; set; }

    public void Retire()
    {
        Retired = true;
        Raft = null;
    }

    public void Start()
    {
        var snapshot = Disk.Snapshot();
        Applied = snapshot.Metadata.Index;
        Conf = Disk.InitialState().ConfState;
        RemovedPeers = DecodeRemovedPeers(snapshot.Data.Span);
        LastCommitSeen = 0;
        Raft = new RawNode(new RaftConfig
        {
            Id = Id,
            Storage = Disk,
            ElectionTick = _options.ElectionTick,
            HeartbeatTick = _options.HeartbeatTick,
            Applied = Applied,
            MaxSizePerMsg = _options.MaxSizePerMsg,
            MaxInflightMsgs = _options.MaxInflightMsgs,
            CheckQuorum = _options.CheckQuorum,
            PreVote = _options.PreVote,
            Seed = unchecked(_seed * 31 + (int)Id * 7919 + _incarnation++ * 104729),
        });
    }

    /// <summary>The application state at <see cref="Applied"/>: the index, then the removed members.</summary>
    public byte[] EncodeSnapshotData()
    {
        var data = new byte[8 * (1 + RemovedPeers.Count)];
        BinaryPrimitives.WriteUInt64LittleEndian(data, Applied);
        var offset = 8;
        foreach (var id in RemovedPeers.Order())
        {
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(offset), id);
            offset += 8;
        }
        return data;
    }

    private static HashSet<ulong> DecodeRemovedPeers(ReadOnlySpan<byte> data)
    {
        var removed = new HashSet<ulong>();
        for (var offset = 8; offset + 8 <= data.Length; offset += 8) removed.Add(BinaryPrimitives.ReadUInt64LittleEndian(data[offset..]));
        return removed;
    }
}
