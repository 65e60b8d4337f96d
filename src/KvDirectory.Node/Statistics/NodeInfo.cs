namespace KvDirectory.Node.Statistics;

/// <summary>Facts about this process that the stats endpoints report.</summary>
public sealed class NodeInfo(TimeProvider time)
{
    private long _leaderSinceTicks = time.GetUtcNow().UtcTicks;

    public DateTimeOffset StartTime { get; } = time.GetUtcNow();

    /// <summary>
    /// When the current leader took office as this node saw it (for <c>leaderInfo.startTime</c>); moved by
    /// <see cref="RaftStatistics"/> on the node's thread, read by HTTP threads (hence the atomic ticks).
    /// </summary>
    public DateTimeOffset LeaderSince
    {
        get => new(Interlocked.Read(ref _leaderSinceTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _leaderSinceTicks, value.UtcTicks);
    }
}
