using KvDirectory.Node.Metrics;
using KvDirectory.Node.Statistics;
using KvDirectory.Raft;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Node.Loop;

/// <summary>
/// Who leads and in which term, as the node's thread last saw it (<see cref="SoftState"/>), and the snapshot of it
/// that HTTP threads read (<see cref="Status"/>: the <c>X-Raft-*</c> headers, stats, metrics).
/// </summary>
internal sealed partial class StatusTracker(RawNode node, NodeMetrics metrics, RaftStatistics? statistics, ILogger logger)
{
    private volatile ConsensusStatus _status = Initial(node);

    public ConsensusStatus Status => _status;

    /// <summary>The core's leader and role; node thread only.</summary>
    public SoftState SoftState { get; private set; }

    public void OnSoftStateChanged(SoftState softState)
    {
        if (softState.Lead != SoftState.Lead)
        {
            metrics.LeaderChanged();
            LogRoleChanged(logger, softState.Role, softState.Lead, node.Raft.HardState.Term);
        }
        else if (softState.Role != SoftState.Role)
        {
            LogRoleChanged(logger, softState.Role, softState.Lead, node.Raft.HardState.Term);
        }

        statistics?.LeadershipChanged(softState.Lead, softState.Role == StateRole.Leader);
        SoftState = softState;
    }

    public void Update()
    {
        var hardState = node.Raft.HardState;
        _status = new ConsensusStatus((long)hardState.Term, (long)hardState.Commit, SoftState.Lead, ToNodeRole(SoftState.Role));
    }

    /// <summary>The loop died: no leader as far as this member can tell.</summary>
    public void MarkFailed() => _status = _status with { LeaderId = 0, Role = NodeRole.Follower };

    private static ConsensusStatus Initial(RawNode node)
    {
        var hardState = node.Raft.HardState;
        return new ConsensusStatus((long)hardState.Term, (long)hardState.Commit, 0, NodeRole.Follower);
    }

    private static NodeRole ToNodeRole(StateRole role) => role switch
    {
        StateRole.Leader => NodeRole.Leader,
        StateRole.Candidate => NodeRole.Candidate,
        StateRole.PreCandidate => NodeRole.PreCandidate,
        _ => NodeRole.Follower,
    };

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Role changed to {Role}; leader is now {Leader:x} (term {Term})")]
    private static partial void LogRoleChanged(ILogger logger, StateRole role, ulong leader, ulong term);
}
