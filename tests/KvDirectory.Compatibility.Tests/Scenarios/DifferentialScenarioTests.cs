using KvDirectory.Compatibility.Tests.Harness;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>Each scenario runs against real etcd and the candidate; every step's answer must be the same after normalisation.</summary>
[Collection(DifferentialCollection.Name)]
public sealed class DifferentialScenarioTests(DifferentialPair pair)
{
    public static IEnumerable<object[]> Scenarios => ScenarioCatalog.Names;

    [Fact]
    public void The_catalog_has_at_least_a_hundred_scenarios() => ScenarioCatalog.ByName.Count.Should().BeGreaterThanOrEqualTo(100);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public Task Candidate_answers_like_etcd(string scenario) => ScenarioRunner.CompareAsync(ScenarioCatalog.ByName[scenario], pair);
}
