namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>Every table-driven scenario by name; names are unique because each names its own key prefix.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyDictionary<string, Scenario> ByName { get; } = Build();

    /// <summary>xunit case data: the name alone, so every scenario is its own serialisable, readable test case.</summary>
    public static IEnumerable<object[]> Names => ByName.Keys.Select(name => new object[] { name });

    private static Dictionary<string, Scenario> Build()
    {
        var all = KeyScenarios.All()
            .Concat(DirectoryScenarios.All())
            .Concat(TtlScenarios.All())
            .Concat(ConditionScenarios.All())
            .Concat(ValidationScenarios.All())
            .Concat(PathAndEndpointScenarios.All())
            .Concat(WatchHistoryScenarios.All())
            .Concat(ClientPatternScenarios.All())
            .Concat(EdgeScenarios.All())
            .Concat(EscapingScenarios.All());
        var byName = new Dictionary<string, Scenario>(StringComparer.Ordinal);
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scenario in all)
        {
            if (!byName.TryAdd(scenario.Name, scenario) || !prefixes.Add(scenario.Prefix))
            {
                throw new InvalidOperationException($"duplicate scenario name or prefix: {scenario.Name}");
            }
        }

        return byName;
    }
}
