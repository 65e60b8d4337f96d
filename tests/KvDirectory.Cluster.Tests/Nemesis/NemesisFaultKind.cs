namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>What a <see cref="NemesisFault"/> does, whoever it targets: every run must inject each kind at least once.</summary>
public enum NemesisFaultKind
{
    /// <summary>SIGKILL and restart (a member or the leader).</summary>
    Kill,

    /// <summary>SIGSTOP and SIGCONT.</summary>
    Pause,

    /// <summary>A member (or the leader) cut off from the other two, both ways.</summary>
    Partition,

    /// <summary>One direction of one link cut.</summary>
    OneWayCut,
}

public static class NemesisFaultKinds
{
    public static NemesisFaultKind KindOf(this NemesisFault fault) => fault switch
    {
        NemesisFault.KillMember or NemesisFault.KillLeader => NemesisFaultKind.Kill,
        NemesisFault.PauseMember or NemesisFault.PauseLeader => NemesisFaultKind.Pause,
        NemesisFault.PartitionMinority or NemesisFault.IsolateLeader => NemesisFaultKind.Partition,
        NemesisFault.CutOneWay or NemesisFault.CutLeaderOneWay => NemesisFaultKind.OneWayCut,
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown fault"),
    };
}
