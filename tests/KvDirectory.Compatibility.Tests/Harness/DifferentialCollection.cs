namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>
/// The table-driven scenarios and the concurrent watch tests share one server pair and run one after another:
/// index normalisation relies on nothing else writing to the pair while a scenario runs.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DifferentialCollection : ICollectionFixture<DifferentialPair>
{
    public const string Name = "differential";
}
