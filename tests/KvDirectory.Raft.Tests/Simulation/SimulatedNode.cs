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

    public void Crash() => Raft = null;

    public void Start()
    {
        var snapshot = Disk.Snapshot();
        Applied = snapshot.Metadata.Index;
        Conf = Disk.InitialState().ConfState;
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

    public static byte[] EncodeSnapshotData(ulong applied)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(data, applied);
        return data;
    }
}
