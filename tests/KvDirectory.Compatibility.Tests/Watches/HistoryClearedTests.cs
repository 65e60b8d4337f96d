using KvDirectory.Compatibility.Tests.Scenarios;
using static KvDirectory.Compatibility.Tests.Scenarios.StepBuilder;

namespace KvDirectory.Compatibility.Tests.Watches;

/// <summary>After more than 1000 events on the same key, a waitIndex before the oldest kept event is 401 (HTTP 400).</summary>
[Collection(EtcdSizedHistoryCollection.Name)]
public sealed class HistoryClearedTests(EtcdSizedHistoryPair pair)
{
    private const int Writes = 1010;

    [Fact]
    public async Task A_wait_index_older_than_the_history_is_401_event_index_cleared()
    {
        var steps = Enumerable.Range(0, Writes).Select(_ => Put("/a", "value=v"))
            .Append(Get("/a?wait=true&waitIndex={i+1}"))
            .Append(Get("/a?wait=true&waitIndex={i+5}"))
            .Append(Get("/a?wait=true&waitIndex={i+1000}"))
            .ToArray();
        var scenario = S("waitIndex far in the past after more than a thousand events on the same key", steps);
        var reference = await ScenarioRunner.RunAsync(scenario, pair.Reference);
        var candidate = await ScenarioRunner.RunAsync(scenario, pair.Candidate);

        // Guard against a scenario that silently stopped exercising the cleared history on the reference too.
        reference.Exchanges[Writes].Response.Body.Should().Contain("\"errorCode\":401");
        reference.Exchanges[Writes + 2].Response.Status.Should().Be(200);
        Harness.DifferentialAssert.Identical(scenario.Name, reference, candidate);
    }
}
