using BenchmarkDotNet.Attributes;

namespace KvDirectory.Raft.Benchmarks;

/// <summary>
/// Proposals committed per second by a 3-member cluster on a perfect network. Each operation is one
/// proposal; <see cref="Batch"/> proposals are submitted before the cluster settles, as a busy server
/// would between two Ready cycles.
/// </summary>
[MemoryDiagnoser]
public class ProposalThroughputBenchmarks
{
    private const int ProposalsPerInvoke = 1024;
    private readonly byte[] _payload = new byte[64];
    private PerfectCluster _cluster = null!;

    [Params(1, 16, 256)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup() => _cluster = new PerfectCluster(3);

    [IterationCleanup]
    public void Cleanup() => _cluster.Compact();

    [Benchmark(OperationsPerInvoke = ProposalsPerInvoke)]
    public ulong ProposeAndCommit()
    {
        var leader = _cluster.Leader;
        for (var sent = 0; sent < ProposalsPerInvoke; sent += Batch)
        {
            for (var i = 0; i < Batch; i++) leader.TryPropose(_payload);
            _cluster.Settle();
        }
        return _cluster.AppliedOnLeader;
    }
}
