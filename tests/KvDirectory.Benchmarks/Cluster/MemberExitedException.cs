namespace KvDirectory.Benchmarks.Cluster;

/// <summary>A cluster member's process ended while the benchmark was waiting for it; carries what it printed.</summary>
public sealed class MemberExitedException(string message, string output) : Exception($"{message}:\n{output}")
{
    public string Output { get; } = output;
}
