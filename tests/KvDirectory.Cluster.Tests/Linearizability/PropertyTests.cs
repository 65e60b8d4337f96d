using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>
/// Seeded random histories. A failure names its seed: <c>new RandomHistory(seed)</c> with the same arguments reproduces it.
/// KVDIR_LONG=1 runs ten times as many.
/// </summary>
public sealed class PropertyTests(ITestOutputHelper output)
{
    private static readonly int Runs = Environment.GetEnvironmentVariable("KVDIR_LONG") == "1" ? 2000 : 200;

    [Fact]
    public void Every_history_produced_by_a_sequential_register_is_linearizable()
    {
        var steps = 0L;
        for (var seed = 1; seed <= Runs; seed++)
        {
            var random = new Random(seed);
            var generator = new RandomHistory(seed);
            var history = generator.Generate(
                operations: random.Next(1, 400), clients: random.Next(1, 17), keys: random.Next(1, 4), values: random.Next(1, 6));

            var result = LinearizabilityChecker.Check(history);

            result.Verdict.Should().Be(Verdict.Linearizable, $"seed {seed} is linearizable by construction: {result.Describe()}");
            steps += result.Steps;
        }

        output.WriteLine($"{Runs} histories, {steps} search steps");
    }

    [Fact]
    public void On_small_histories_the_checker_agrees_with_trying_every_permutation_before_and_after_one_output_is_mutated()
    {
        var rejected = 0;
        for (var seed = 1; seed <= Runs; seed++)
        {
            var random = new Random(seed);
            var generator = new RandomHistory(seed);
            var values = random.Next(1, 4);
            var history = generator.Generate(
                operations: random.Next(1, BruteForceChecker.MaxOperations + 1), clients: random.Next(1, 5),
                keys: random.Next(1, 3), values: values, lostResponses: 0.15);
            var mutated = generator.MutateOneOutput(history, values);

            BruteForceChecker.IsLinearizable(history).Should().BeTrue($"seed {seed}: the oracle must accept a generated history");
            LinearizabilityChecker.Check(history).Verdict.Should().Be(Verdict.Linearizable, $"seed {seed}");

            var expected = BruteForceChecker.IsLinearizable(mutated) ? Verdict.Linearizable : Verdict.NotLinearizable;
            var result = LinearizabilityChecker.Check(mutated);
            result.Verdict.Should().Be(expected, $"seed {seed}, mutated:{Environment.NewLine}{CheckResult.Format(mutated)}{Environment.NewLine}{result.Describe()}");
            rejected += expected == Verdict.NotLinearizable ? 1 : 0;
        }

        output.WriteLine($"{rejected} of {Runs} mutated histories are not linearizable");

        // Guards against a vacuous property: if mutations never produced violations, agreement would prove nothing.
        rejected.Should().BeGreaterThan(Runs / 4);
    }

    [Fact]
    public void A_read_of_a_value_never_written_is_caught_in_a_long_concurrent_history()
    {
        for (var seed = 1; seed <= Runs / 4; seed++)
        {
            var random = new Random(seed);
            // Rejecting means exhausting every linearization before the anomaly, exponential in the operations pending
            // together; with 16 clients or many lost responses that can exceed the budget (verdict Unknown, never wrong).
            var history = new RandomHistory(seed).Generate(
                operations: random.Next(50, 600), clients: random.Next(2, 9), keys: 1, values: 4, lostResponses: 0.01).ToList();
            var reads = Enumerable.Range(0, history.Count)
                .Where(i => history[i] is { IsUnknown: false, Input.Kind: OperationKind.Get }).ToList();
            if (reads.Count == 0)
            {
                continue;
            }

            var index = reads[random.Next(reads.Count)];
            history[index] = history[index] with { Output = OperationOutput.Read("never-written") };

            var result = LinearizabilityChecker.Check(history);

            result.Verdict.Should().Be(Verdict.NotLinearizable, $"seed {seed}: {result.Describe()}");
            result.Keys.Single().FailingPrefix.Should().ContainSingle(o => o.Output == OperationOutput.Read("never-written"), $"seed {seed}: the phantom read is the anomaly");
            result.Keys.Single().FailingPrefix.Max(o => o.IsUnknown ? long.MinValue : o.Return).Should().Be(history[index].Return, $"seed {seed}: the cut is where the phantom read returned");
        }
    }

    [Fact]
    public void The_reported_prefix_is_the_history_at_the_earliest_instant_it_fails()
    {
        var checkedCount = 0;
        for (var seed = 1; seed <= Runs / 4; seed++)
        {
            var random = new Random(seed);
            var generator = new RandomHistory(seed);
            var history = generator.Generate(operations: random.Next(20, 200), clients: random.Next(2, 9), keys: 1, values: 3);
            var mutated = generator.MutateOneOutput(history, values: 3);
            var result = LinearizabilityChecker.Check(mutated);
            if (result.IsLinearizable)
            {
                continue;
            }

            checkedCount++;
            var prefix = result.Keys.Single().FailingPrefix;
            LinearizabilityChecker.Check(prefix).Verdict.Should().Be(Verdict.NotLinearizable, $"seed {seed}");
            var cut = prefix.Where(o => !o.IsUnknown).Max(o => o.Return);
            var earlier = HistoryCut.Instants(prefix).Where(t => t < cut).DefaultIfEmpty(long.MinValue).Max();
            prefix.Should().OnlyContain(o => !o.IsUnknown);
            LinearizabilityChecker.Check(HistoryCut.At(mutated, earlier)).Verdict
                .Should().Be(Verdict.Linearizable, $"seed {seed}: the history one return earlier must pass");
            output.WriteLine($"seed {seed}: {prefix.Count} of {history.Count} operations");
        }

        checkedCount.Should().BeGreaterThan(0, "some mutations must have produced violations");
    }

    [Fact]
    public void On_medium_histories_the_checker_agrees_with_a_plain_memoised_search_before_and_after_one_output_is_mutated()
    {
        var rejected = 0;
        for (var seed = 1; seed <= Runs; seed++)
        {
            var random = new Random(seed);
            var generator = new RandomHistory(seed);
            var values = random.Next(1, 4);
            var history = generator.Generate(
                operations: random.Next(10, 41), clients: random.Next(2, 9), keys: 1, values: values, lostResponses: 0.2);
            var mutated = generator.MutateOneOutput(history, values);

            ReferenceChecker.IsLinearizable(history).Should().BeTrue($"seed {seed}: the reference must accept a generated history");
            var expected = ReferenceChecker.IsLinearizable(mutated) ? Verdict.Linearizable : Verdict.NotLinearizable;
            var result = LinearizabilityChecker.Check(mutated);

            result.Verdict.Should().Be(expected, $"seed {seed}, mutated:{Environment.NewLine}{CheckResult.Format(mutated)}{Environment.NewLine}{result.Describe()}");
            rejected += expected == Verdict.NotLinearizable ? 1 : 0;
        }

        output.WriteLine($"{rejected} of {Runs} mutated histories are not linearizable");
        rejected.Should().BeGreaterThan(Runs / 4);
    }
}
