namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>The faults the <see cref="Nemesis"/> injects, one at a time, each undone before the next.</summary>
public enum NemesisFault
{
    /// <summary>SIGKILL a random member, start it again when the fault ends.</summary>
    KillMember,

    /// <summary>SIGKILL the current leader, start it again when the fault ends.</summary>
    KillLeader,

    /// <summary>SIGSTOP a random member, SIGCONT when the fault ends.</summary>
    PauseMember,

    /// <summary>SIGSTOP the current leader: it wakes up believing it still leads.</summary>
    PauseLeader,

    /// <summary>One random member alone on one side, the other two (a majority) on the other.</summary>
    PartitionMinority,

    /// <summary>The current leader cut off from both followers, both ways.</summary>
    IsolateLeader,

    /// <summary>Connections one random member opens to another fail; the reverse direction still works.</summary>
    CutOneWay,

    /// <summary>The leader cannot reach one follower, the follower still reaches the leader (or the reverse).</summary>
    CutLeaderOneWay,
}
