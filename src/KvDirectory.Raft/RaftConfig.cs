namespace KvDirectory.Raft;

/// <summary>Parameters of one Raft member. Immutable; validated by <see cref="Validate"/>.</summary>
public sealed record RaftConfig
{
    /// <summary>This member's id; never 0 (0 means "none" throughout the protocol).</summary>
    public required ulong Id { get; init; }

    public required IRaftStorage Storage { get; init; }

    /// <summary>Ticks without hearing from a leader before a follower campaigns (randomized up to 2x).</summary>
    public int ElectionTick { get; init; } = 10;

    /// <summary>Ticks between leader heartbeats; must be well below <see cref="ElectionTick"/>.</summary>
    public int HeartbeatTick { get; init; } = 1;

    /// <summary>The last index already applied by the state machine (when restarting).</summary>
    public ulong Applied { get; init; }

    /// <summary>Upper bound on the entry bytes in one append message.</summary>
    public ulong MaxSizePerMsg { get; init; } = 1024 * 1024;

    /// <summary>Upper bound on the committed entry bytes handed out in one Ready.</summary>
    public ulong MaxCommittedSizePerReady { get; init; } = 64 * 1024 * 1024;

    /// <summary>How many append messages may be in flight to one follower while pipelining.</summary>
    public int MaxInflightMsgs { get; init; } = 256;

    /// <summary>A leader steps down when it has not heard from a quorum within an election timeout.</summary>
    public bool CheckQuorum { get; init; }

    /// <summary>Candidates first ask whether they could win, so a partitioned node cannot inflate terms.</summary>
    public bool PreVote { get; init; }

    /// <summary>Seeds the randomized election timeout, keeping a node deterministic.</summary>
    public int Seed { get; init; }

    public void Validate()
    {
        if (Id == 0) throw new ArgumentException("cannot use none as id", nameof(Id));
        if (HeartbeatTick <= 0) throw new ArgumentException("heartbeat tick must be greater than 0", nameof(HeartbeatTick));
        if (ElectionTick <= HeartbeatTick)
            throw new ArgumentException("election tick must be greater than heartbeat tick", nameof(ElectionTick));
        if (MaxInflightMsgs <= 0) throw new ArgumentException("max inflight messages must be greater than 0", nameof(MaxInflightMsgs));
        ArgumentNullException.ThrowIfNull(Storage);
    }
}
