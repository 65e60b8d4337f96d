using KvDirectory.Cluster.Tests.Linearizability;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>The history a nemesis run recorded is not linearizable; the message holds the minimal failing history.</summary>
public sealed class NemesisAnomalyException(string message, CheckResult result) : Exception(message)
{
    public CheckResult Result { get; } = result;
}
