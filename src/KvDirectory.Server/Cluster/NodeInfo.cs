namespace KvDirectory.Server.Cluster;

/// <summary>Facts about this process that the stats endpoints report.</summary>
public sealed class NodeInfo(TimeProvider time)
{
    public DateTimeOffset StartTime { get; } = time.GetUtcNow();

    /// <summary>When this node last saw a leader take office (for <c>leaderInfo.startTime</c>).</summary>
    public DateTimeOffset LeaderSince { get; set; } = time.GetUtcNow();
}
