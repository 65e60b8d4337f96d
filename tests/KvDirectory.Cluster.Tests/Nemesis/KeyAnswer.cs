using System.Globalization;
using KvDirectory.Cluster.Tests.Linearizability;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// One member's answer to one register operation: the model's output, the HTTP status, etcd's error code, and for a
/// failed compare the value the member compared against (etcd's cause "[prevValue != current]").
/// </summary>
public sealed record KeyAnswer(OperationOutput Output, int Status, int? ErrorCode, string? ComparedAgainst = null)
{
    /// <summary>"412 errorCode 101", "503 errorCode -": the answer in short, for tallies.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Status} errorCode {ErrorCode?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
}
