using KvDirectory.Node.Loop;
using KvDirectory.Raft;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Node.Membership;

/// <summary>
/// A graceful stop of the leader: leadership goes to the most up-to-date follower first, so the cluster need not
/// wait an election timeout. Touched only by the node's thread.
/// </summary>
internal sealed partial class LeadershipHandOff(RawNode node, ulong localMemberId, int electionTimeoutMilliseconds, TimeProvider time, ILogger logger)
{
    private LeadershipHandOffInput? _pending;
    private long _startedAt;

    public void Start(LeadershipHandOffInput input, long now, SoftState softState)
    {
        var transferee = softState.Role == StateRole.Leader ? Transferee.Best(node, localMemberId, 0) : 0;
        if (transferee == 0)
        {
            input.Completion.TrySetResult(false);
            return;
        }

        LogHandingOverOnStop(logger, transferee);
        node.TransferLeadership(transferee);
        _pending = input;
        _startedAt = now;
    }

    /// <summary>Answers the stop once this member is no longer leader, or the transfer took too long.</summary>
    public void Check(long now, SoftState softState)
    {
        if (_pending is not { } pending)
        {
            return;
        }

        if (softState.Role != StateRole.Leader || time.GetElapsedTime(_startedAt, now).TotalMilliseconds > 2.0 * electionTimeoutMilliseconds)
        {
            pending.Completion.TrySetResult(softState.Role != StateRole.Leader);
            _pending = null;
        }
    }

    public void Cancel() => _pending?.Completion.TrySetResult(false);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Information, Message = "Stopping: handing leadership to {Transferee:x} first")]
    private static partial void LogHandingOverOnStop(ILogger logger, ulong transferee);
}
