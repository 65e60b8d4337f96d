namespace KvDirectory.Raft.Tracking;

/// <summary>How the leader currently replicates to a follower.</summary>
public enum ProgressState : byte
{
    /// <summary>One append per heartbeat interval until the follower's match index is found.</summary>
    Probe = 0,

    /// <summary>Optimistic pipelining: appends are sent ahead of acknowledgements, bounded by the in-flight window.</summary>
    Replicate = 1,

    /// <summary>A snapshot is on its way; appends wait for its outcome.</summary>
    Snapshot = 2,
}
