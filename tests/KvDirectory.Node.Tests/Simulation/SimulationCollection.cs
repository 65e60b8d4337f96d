namespace KvDirectory.Node.Tests.Simulation;

/// <summary>
/// The simulation runs alone, so that no real node's threads compete with its steps. Seeds that failed only in parallel
/// runs (seed 11 of 5 members, once in CI) were the LiteDB snapshot store of earlier versions: its own writer thread made
/// where a power cut landed depend on timing.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SimulationCollection
{
    public const string Name = "node simulation, alone";
}
