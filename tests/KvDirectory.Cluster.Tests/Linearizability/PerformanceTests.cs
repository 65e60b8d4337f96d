using System.Diagnostics;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>Measured, printed, and bounded loosely: the bounds catch an exponential regression, not a slow CI machine.</summary>
public sealed class PerformanceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(2_000, 10, 1)]
    [InlineData(4_000, 16, 1)]
    [InlineData(10_000, 16, 8)]
    public void A_linearizable_history_of_thousands_of_operations_checks_within_seconds(int operations, int clients, int keys)
    {
        var history = new RandomHistory(seed: operations + clients).Generate(operations, clients, keys, values: 5, lostResponses: 0.01);
        var watch = Stopwatch.StartNew();

        var result = LinearizabilityChecker.Check(history);

        watch.Stop();
        output.WriteLine($"{operations} operations, {clients} clients, {keys} key(s): {result.Steps} steps in {watch.Elapsed.TotalMilliseconds:F1} ms");
        result.Verdict.Should().Be(Verdict.Linearizable, result.Describe());
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_violation_in_a_2000_operation_10_client_history_is_found_and_minimised_within_seconds()
    {
        var history = new RandomHistory(seed: 2_010).Generate(operations: 2_000, clients: 10, keys: 1, values: 5, lostResponses: 0).ToList();
        var read = history.FindIndex(1_000, o => o.Input.Kind == OperationKind.Get);
        history[read] = history[read] with { Output = OperationOutput.Read("never-written") };
        var watch = Stopwatch.StartNew();

        var result = LinearizabilityChecker.Check(history);

        watch.Stop();
        output.WriteLine($"{result.Steps} steps in {watch.Elapsed.TotalMilliseconds:F1} ms{Environment.NewLine}{result.Describe()}");
        result.Verdict.Should().Be(Verdict.NotLinearizable);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void An_exhausted_step_budget_answers_unknown_instead_of_hanging()
    {
        var history = new RandomHistory(seed: 7).Generate(operations: 500, clients: 8, keys: 1, values: 3);

        var result = LinearizabilityChecker.Check(history, new CheckOptions { MaxSteps = 100 });

        result.Verdict.Should().Be(Verdict.Unknown);
        result.Describe().Should().Contain("undecided");
    }

    [Fact]
    public void An_exhausted_time_budget_answers_unknown_instead_of_hanging()
    {
        var history = new RandomHistory(seed: 7).Generate(operations: 20_000, clients: 8, keys: 1, values: 3);

        var result = LinearizabilityChecker.Check(history, new CheckOptions { Timeout = TimeSpan.Zero });

        result.Verdict.Should().Be(Verdict.Unknown);
    }
}
