namespace KvDirectory.Raft.Tests.Simulation;

/// <summary>
/// Seeded chaos scenarios. CI runs a few thousand small ones; KVDIR_LONG=1 runs 100,000. A failure names
/// the seed and the command that replays exactly that scenario.
/// </summary>
public sealed class ClusterSimulationTests
{
    private const int BatchSize = 50;

    private static bool Long => Environment.GetEnvironmentVariable("KVDIR_LONG") == "1";

    public static TheoryData<int, int> Batches(int voters, int batches)
    {
        var data = new TheoryData<int, int>();
        for (var b = 0; b < batches; b++) data.Add(voters, b);
        return data;
    }

    public static TheoryData<int, int> ThreeNodeBatches => Batches(3, 20);

    public static TheoryData<int, int> FiveNodeBatches => Batches(5, 20);

    [Theory]
    [MemberData(nameof(ThreeNodeBatches))]
    public void Three_node_cluster_stays_safe_and_live_under_chaos(int voters, int batch) => RunBatch(voters, batch);

    [Theory]
    [MemberData(nameof(FiveNodeBatches))]
    public void Five_node_cluster_stays_safe_and_live_under_chaos(int voters, int batch) => RunBatch(voters, batch);

    /// <summary>Replays one scenario: RAFT_SIM_SEED and RAFT_SIM_VOTERS pick it (seed 1 of 3 voters by default).</summary>
    [Fact]
    public void Reproduce_seed()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("RAFT_SIM_SEED"), out var s) ? s : 1;
        var voters = int.TryParse(Environment.GetEnvironmentVariable("RAFT_SIM_VOTERS"), out var v) ? v : 3;
        var sim = RunScenario(voters, seed);
        sim.Committed.Should().BePositive();
    }

    private static void RunBatch(int voters, int batch)
    {
        var perBatch = Long ? 100_000 / 40 : BatchSize;
        var first = batch * perBatch + voters * 1_000_000;
        for (var seed = first; seed < first + perBatch; seed++) RunScenario(voters, seed);
    }

    private static ClusterSimulator RunScenario(int voters, int seed)
    {
        var sim = new ClusterSimulator(new SimulationOptions { Seed = seed, Voters = voters });
        try
        {
            sim.Run();
        }
        catch (Exception e) when (e is SimulationFailure or InvalidOperationException)
        {
            throw new Xunit.Sdk.XunitException(
                $"seed {seed} failed: {e.Message}{Environment.NewLine}" +
                $"reproduce: RAFT_SIM_SEED={seed} RAFT_SIM_VOTERS={voters} dotnet test tests/KvDirectory.Raft.Tests --filter FullyQualifiedName~ClusterSimulationTests.Reproduce_seed" +
                $"{Environment.NewLine}{e}{Environment.NewLine}last events:{Environment.NewLine}{sim.TraceTail}");
        }
        return sim;
    }
}
