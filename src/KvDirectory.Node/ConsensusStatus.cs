namespace KvDirectory.Node;

/// <summary>What the HTTP layer reports about replication: the <c>X-Raft-*</c> headers and the stats endpoints.</summary>
public sealed record ConsensusStatus(long Term, long CommitIndex, ulong LeaderId, NodeRole Role);

public enum NodeRole
{
    Follower,
    PreCandidate,
    Candidate,
    Leader,
}

public static class NodeRoleNames
{
    /// <summary>The spelling etcd uses in <c>/v2/stats/self</c>.</summary>
    public static string ToEtcdState(this NodeRole role) => role switch
    {
        NodeRole.Leader => "StateLeader",
        NodeRole.Candidate => "StateCandidate",
        NodeRole.PreCandidate => "StatePreCandidate",
        _ => "StateFollower",
    };
}
