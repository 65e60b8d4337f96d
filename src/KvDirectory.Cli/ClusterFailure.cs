using KvDirectory.Client;

namespace KvDirectory.Cli;

/// <summary>A cluster error that must end the run with a specific exit code (2 when nothing was reachable during sync).</summary>
public sealed class ClusterFailure(ClusterException inner, int exitCode) : Exception(inner.Message, inner)
{
    public ClusterException Cluster { get; } = inner;

    public int ExitCode { get; } = exitCode;
}
