namespace KvDirectory.Benchmarks.Cluster;

/// <summary>
/// One workload on one cluster in one round and mode: the load generator's numbers, the machine's 1-minute load
/// average when the window started, and what each member used and did from the window's start until the CPU tail after it.
/// </summary>
/// <param name="Mode">"warm" (after a warm-up on every workload) or "cold" (fresh members on the seed, a short warm-up after they elect a leader).</param>
/// <param name="LeaderUnchanged">False when the leader lost leadership during the window (its numbers then mean little).</param>
public sealed record ClusterMeasurement(string Mode, int Round, WorkloadResult Result, double LoadAverage, IReadOnlyList<MemberWindow> Members, bool LeaderUnchanged)
{
    public string Variant => Result.Server;

    public MemberCounters Leader => Members.Single(m => m.Role == "leader").Delta;

    /// <summary>CPU seconds the three members spent per 1,000 answered requests (= ms per request), tail included: on two shared cores, the cost that caps throughput.</summary>
    public double CpuSecondsPerThousandRequests => CpuMillisecondsPerRequestOf(Members.Sum(m => m.Delta.CpuSeconds));

    /// <summary>Raft entries the leader committed per WAL fsync: how well writes are batched.</summary>
    public double LeaderEntriesPerFsync => Leader.WalFsyncs == 0 ? double.NaN : Leader.ProposalsCommitted / Leader.WalFsyncs;

    public double CpuMillisecondsPerRequestOf(double cpuSeconds) => Result.Requests == 0 ? double.NaN : cpuSeconds * 1000 / Result.Requests;
}
