namespace KvDirectory.Benchmarks.Cluster;

/// <summary>
/// One workload on one cluster: the load generator's numbers, the machine's 1-minute load average when the window
/// started, and what each member used and did during it.
/// </summary>
/// <param name="LeaderUnchanged">False when the leader lost leadership during the window (its numbers then mean little).</param>
public sealed record ClusterMeasurement(WorkloadResult Result, double LoadAverage, IReadOnlyList<MemberWindow> Members, bool LeaderUnchanged)
{
    public MemberCounters Leader => Members.Single(m => m.Role == "leader").Delta;

    /// <summary>CPU milliseconds the three members spent per answered request: on two shared cores, the cost that caps throughput.</summary>
    public double CpuMillisecondsPerRequest => CpuMillisecondsPerRequestOf(Members.Sum(m => m.Delta.CpuSeconds));

    /// <summary>Raft entries the leader committed per WAL fsync: how well writes are batched.</summary>
    public double LeaderEntriesPerFsync => Leader.WalFsyncs == 0 ? double.NaN : Leader.ProposalsCommitted / Leader.WalFsyncs;

    public double CpuMillisecondsPerRequestOf(double cpuSeconds) => Result.Requests == 0 ? double.NaN : cpuSeconds * 1000 / Result.Requests;
}
