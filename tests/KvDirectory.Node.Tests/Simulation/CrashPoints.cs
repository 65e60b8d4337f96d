using KvDirectory.Raft;

namespace KvDirectory.Node.Tests.Simulation;

/// <summary>Where in the loop a crash landed, named for the fault mix each CI run prints.</summary>
internal static class CrashPoints
{
    public const string Idle = "idle, between steps";
    public const string Outage = "power outage of the whole cluster, between steps";
    public const string LeaderSentBeforeFsync = "leader sent new entries, before its own fsync";
    public const string FollowerFsyncedBeforeApply = "follower fsynced and acknowledged, before applying";

    /// <summary>Names the operation a disk's power failed in from the call stack it recorded.</summary>
    public static string OfPowerCut(string? stack) => stack switch
    {
        null => "power cut (operation unknown)",
        _ when stack.Contains("ReleaseBefore", StringComparison.Ordinal) => "power cut during compaction: WAL segments released",
        _ when stack.Contains("SnapshotStore.Prune", StringComparison.Ordinal) => "power cut during compaction: old snapshots pruned",
        _ when stack.Contains("DurableRaftStorage.ApplySnapshot", StringComparison.Ordinal) => "power cut installing a leader's snapshot",
        _ when stack.Contains("SnapshotStore", StringComparison.Ordinal) => "power cut during a snapshot save",
        _ when stack.Contains("SaveSnapshotMarker", StringComparison.Ordinal) => "power cut writing the snapshot marker",
        _ when stack.Contains("NodeOpener", StringComparison.Ordinal) => "power cut during a restart",
        _ when stack.Contains("WriteAheadLog", StringComparison.Ordinal) => "power cut during a WAL append or fsync",
        _ => "power cut (other operation)",
    };

    /// <summary>
    /// A crash armed on a member's sends fires at the first message that marks a point of interest: a leader's
    /// append carrying new entries goes out before the leader's own fsync (thesis 10.2.1); a follower's append
    /// response goes out after its fsync and before it applies what is committed.
    /// </summary>
    public static Action<Message> ArmOnSends(Func<NodeRole> role) => message =>
    {
        if (message.Type == MessageType.MsgApp && message.Entries.Count > 0 && role() == NodeRole.Leader)
        {
            throw new SimulatedCrash(LeaderSentBeforeFsync);
        }

        if (message.Type == MessageType.MsgAppResp && role() != NodeRole.Leader)
        {
            throw new SimulatedCrash(FollowerFsyncedBeforeApply);
        }
    };
}

/// <summary>Thrown from a member's transport to kill its node in the middle of handling a Ready.</summary>
internal sealed class SimulatedCrash(string point) : Exception(point)
{
    public string Point { get; } = point;
}
