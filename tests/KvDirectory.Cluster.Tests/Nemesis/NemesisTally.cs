using System.Globalization;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>What one run did: operations and their outcomes, server errors by code, faults by kind. Printed per run.</summary>
public sealed record NemesisTally
{
    /// <summary>The server errors always printed, even at zero: raft internal (300), leader election (301), a bare 5xx.</summary>
    public static readonly IReadOnlyList<string> ReportedErrors = ["300", "301", "5xx"];

    public required int Operations { get; init; }

    /// <summary>Sets, swaps and deletes answered with success.</summary>
    public required int AcknowledgedWrites { get; init; }

    /// <summary>Compare-and-swaps answered with success (a swap that compared wrong is not one).</summary>
    public required int SuccessfulSwaps { get; init; }

    /// <summary>Outcomes that may or may not have taken effect: timeouts, resets, 300-range errors, 5xx.</summary>
    public required int Unknown { get; init; }

    /// <summary>Answers by etcd error code ≥ 300 ("300", "301", …) or "5xx" for a 5xx without one.</summary>
    public required IReadOnlyDictionary<string, int> ServerErrors { get; init; }

    public required IReadOnlyDictionary<NemesisFaultKind, int> Faults { get; init; }

    /// <summary>Members added and removed during the faults (none in a run without membership changes).</summary>
    public MembershipTally Membership { get; init; } = MembershipTally.None;

    public double UnknownShare => Operations == 0 ? 0 : (double)Unknown / Operations;

    /// <summary>The error class of an answer, or null for one that is no server error (success, 404, 412 …).</summary>
    public static string? ErrorClass(KeyAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return answer.ErrorCode is { } code && code >= 300 ? code.ToString(CultureInfo.InvariantCulture)
            : answer.ErrorCode is null && answer.Status >= 500 ? "5xx"
            : null;
    }

    public override string ToString()
    {
        var errors = ReportedErrors.Concat(ServerErrors.Keys.Except(ReportedErrors).Order(StringComparer.Ordinal))
            .Select(e => $"{e}×{ServerErrors.GetValueOrDefault(e)}");
        var faults = Enum.GetValues<NemesisFaultKind>().Select(k => $"{k}×{Faults.GetValueOrDefault(k)}");
        return string.Create(CultureInfo.InvariantCulture,
            $"{Operations} operations, {AcknowledgedWrites} acknowledged writes ({SuccessfulSwaps} successful swaps), {Unknown} unknown ({UnknownShare:P1}); server errors {string.Join(", ", errors)}; faults {string.Join(", ", faults)}; {Membership}");
    }
}
