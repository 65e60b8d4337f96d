using KvDirectory.Testing.Disk;
using Xunit.Abstractions;

namespace KvDirectory.Node.Tests.Simulation;

/// <summary>
/// The production node loop under simulation: real nodes (<see cref="NodeOpener"/>, <see cref="ReplicatedNode"/>,
/// the loop's own iteration) over an in-memory network and one power-losing disk each, crashed at every point of the
/// loop, the whole cluster's power cut at once, members added and removed (the leader too) through the node's
/// membership path. CI runs <see cref="CiScenarios"/> seeded scenarios; <c>KVDIR_LONG=1</c> runs 1,000, or <c>NODE_SIM_SCENARIOS</c>
/// chooses (and <c>NODE_SIM_SEED_OFFSET</c> explores other seeds). A failure names the seed and the command that
/// replays exactly that scenario.
/// </summary>
[Collection(SimulationCollection.Name)]
public sealed class NodeSimulationTests(ITestOutputHelper output)
{
    /// <summary>Each scenario runs three or five real nodes with their files and restarts: about 1-4 s apiece on a busy 2-core machine.</summary>
    private const int CiScenarios = 24;
    private const int Batches = 8;

    private static int Scenarios =>
        int.TryParse(Environment.GetEnvironmentVariable("NODE_SIM_SCENARIOS"), out var n) ? n
        : Environment.GetEnvironmentVariable("KVDIR_LONG") == "1" ? 1_000
        : CiScenarios;

    public static TheoryData<int, int> ScenarioBatches()
    {
        var data = new TheoryData<int, int>();
        for (var batch = 0; batch < Batches; batch++)
        {
            // Three members mostly; every fourth batch five, so a quorum can survive two crashes.
            data.Add(batch % 4 == 3 ? 5 : 3, batch);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ScenarioBatches))]
    public void Real_nodes_keep_every_acknowledged_write_through_crashes_and_power_cuts(int members, int batch)
    {
        var perBatch = Math.Max(1, Scenarios / Batches);
        var offset = int.TryParse(Environment.GetEnvironmentVariable("NODE_SIM_SEED_OFFSET"), out var o) ? o : 0;
        var first = offset + batch * perBatch + 1;
        var mix = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var (acknowledged, proposed, indeterminate, compared) = (0, 0, 0, 0);
        for (var seed = first; seed < first + perBatch; seed++)
        {
            var sim = RunScenario(NodeSimulationOptions.ForSeed(seed, members));
            foreach (var (kind, count) in sim.Mix)
            {
                mix[kind] = mix.GetValueOrDefault(kind) + count;
            }

            (acknowledged, proposed, indeterminate, compared) = (acknowledged + sim.Clients.Acknowledged, proposed + sim.Clients.Proposed,
                indeterminate + sim.Clients.Indeterminate, compared + sim.Checker.StatesCompared);
        }

        // This batch's share of the CI run's scenario count, fault mix and crash points.
        output.WriteLine($"{perBatch} scenarios of {members} members (seeds {first}..{first + perBatch - 1}): {proposed} writes proposed, " +
            $"{acknowledged} acknowledged and found on every member at the end, {indeterminate} left unanswered by a crash, {compared} applied states compared");
        output.WriteLine($"mix: {string.Join(", ", mix.Select(p => $"{p.Key}={p.Value}"))}");
        acknowledged.Should().BeGreaterThan(perBatch * 20, "the scenarios must acknowledge enough writes to lose some");
        mix.Keys.Count(k => k.StartsWith("crash: ", StringComparison.Ordinal)).Should().BeGreaterThan(2, "crashes must land at several points of the loop");
        mix.Keys.Should().Contain(k => k == "membership: new member started" || k == "membership: removed member shut down",
            "the membership must change during the faults");
    }

    /// <summary>
    /// The mutation check: the same simulation on a disk where the write-ahead log's fsync does nothing (a node then
    /// acknowledges writes that are only in the page cache) must fail within CI's seeds, or it proves nothing.
    /// </summary>
    [Fact]
    public void A_node_whose_log_skips_its_fsync_is_caught_within_the_ci_seeds() =>
        CaughtWithinCiSeeds(seed => NodeSimulationOptions.ForSeed(seed, 3) with { Mutation = FsyncMutations.SkipWalFsync })
            .Should().NotBeNull("a log that acknowledges unsynced writes must be caught losing one");

    /// <summary>
    /// The ordering mutation: every fsync still happens, but later, off the loop (on the node's background), while
    /// followers acknowledge and the leader counts its own copy at once; a write can then be acknowledged while every
    /// copy of it is still in page caches. A power outage in that window must be caught losing it.
    /// </summary>
    [Fact]
    public void A_node_that_acknowledges_before_its_fsync_is_caught_within_the_ci_seeds() =>
        CaughtWithinCiSeeds(seed => NodeSimulationOptions.ForSeed(seed, 3) with { FsyncsEntriesLater = true })
            .Should().NotBeNull("a write acknowledged before any copy of it is durable must be caught lost");

    private string? CaughtWithinCiSeeds(Func<int, NodeSimulationOptions> mutated)
    {
        string? caught = null;
        var tried = 0;
        for (var seed = 1; seed <= CiScenarios && caught is null; seed++, tried++)
        {
            var sim = new NodeSimulator(mutated(seed));
            try
            {
                sim.Run();
            }
            catch (Exception failure)
            {
                caught = $"seed {seed}: {failure.GetType().Name}: {failure.Message}";
            }
        }

        output.WriteLine(caught is null ? $"not caught in {tried} seeds" : $"caught after {tried} scenarios: {caught}");
        return caught;
    }

    /// <summary>The same seed runs the same scenario: a failure found once can be replayed.</summary>
    [Fact]
    public void A_seed_replays_the_same_scenario()
    {
        var first = RunScenario(NodeSimulationOptions.ForSeed(7, 3));
        var second = RunScenario(NodeSimulationOptions.ForSeed(7, 3));

        second.TraceTail.Should().Be(first.TraceTail);
        second.Mix.Should().Equal(first.Mix);
        second.Clients.Acknowledged.Should().Be(first.Clients.Acknowledged);
    }

    /// <summary>Replays one scenario: NODE_SIM_SEED and NODE_SIM_MEMBERS pick it (seed 1 of 3 members by default).</summary>
    [Fact]
    public void Reproduce_seed()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("NODE_SIM_SEED"), out var s) ? s : 1;
        var members = int.TryParse(Environment.GetEnvironmentVariable("NODE_SIM_MEMBERS"), out var m) ? m : 3;
        var sim = RunScenario(NodeSimulationOptions.ForSeed(seed, members));
        output.WriteLine($"mix: {string.Join(", ", sim.Mix.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}");
        output.WriteLine(sim.TraceTail);
        sim.Clients.Acknowledged.Should().BePositive();
    }

    private static NodeSimulator RunScenario(NodeSimulationOptions options)
    {
        var sim = new NodeSimulator(options);
        try
        {
            sim.Run();
        }
        catch (Exception failure)
        {
            throw new Xunit.Sdk.XunitException(
                $"seed {options.Seed} failed: {failure}{Environment.NewLine}" +
                $"reproduce: NODE_SIM_SEED={options.Seed} NODE_SIM_MEMBERS={options.Members} dotnet test tests/KvDirectory.Node.Tests --filter FullyQualifiedName~NodeSimulationTests.Reproduce_seed" +
                $"{Environment.NewLine}last events:{Environment.NewLine}{sim.TraceTail}");
        }

        return sim;
    }
}
