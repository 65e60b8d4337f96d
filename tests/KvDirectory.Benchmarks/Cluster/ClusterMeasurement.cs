namespace KvDirectory.Benchmarks.Cluster;

/// <summary>
/// One workload on one cluster: the load generator's numbers, the machine's 1-minute load average when the window
/// started, and what the members used and did during it.
/// </summary>
/// <param name="Leader">The leader's counters over the window.</param>
/// <param name="ClusterCpuSeconds">CPU time of all three members over the window.</param>
/// <param name="LeaderUnchanged">False when the leader lost leadership during the window (its numbers then mean little).</param>
public sealed record ClusterMeasurement(
    WorkloadResult Result,
    double LoadAverage,
    MemberCounters Leader,
    double ClusterCpuSeconds,
    bool LeaderUnchanged)
{
    /// <summary>CPU milliseconds the three members spent per answered request: on two shared cores, the cost that caps throughput.</summary>
    public double CpuMillisecondsPerRequest => Result.Requests == 0 ? double.NaN : ClusterCpuSeconds * 1000 / Result.Requests;

    /// <summary>Raft entries the leader committed per WAL fsync: how well writes are batched.</summary>
    public double LeaderEntriesPerFsync => Leader.WalFsyncs == 0 ? double.NaN : Leader.ProposalsCommitted / Leader.WalFsyncs;
}
