using System.Globalization;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// What a nemesis run must have done to count as evidence: a cluster that answered every write with error 300, or a
/// run in which no fault landed, would otherwise pass the linearizability check trivially (an unknown outcome
/// constrains nothing). The floors are low enough for a loaded CI machine and far above what a broken cluster reaches.
/// </summary>
public sealed record NemesisFloors
{
    public static readonly NemesisFloors Default = new();

    // Seeds 1–10 measured on a machine shared by five test runs (load average above 40): 28–124 acknowledged
    // writes, 2–19 successful swaps, 10–38 % unknown outcomes per 12 s run. A broken cluster reaches 0, 0 and 100 %.
    public int MinAcknowledgedWrites { get; init; } = 10;

    public int MinSuccessfulSwaps { get; init; } = 1;

    /// <summary>Above this share of unknown outcomes the history says too little (and the check grows exponential).</summary>
    public double MaxUnknownShare { get; init; } = 0.5;

    public IReadOnlyCollection<NemesisFaultKind> RequiredFaults { get; init; } = Enum.GetValues<NemesisFaultKind>();

    /// <summary>Membership changes that must have succeeded (a run that changes membership asks for at least one).</summary>
    public int MinMembershipChanges { get; init; }

    /// <summary>Every floor <paramref name="tally"/> falls short of, in words; empty when the run counts.</summary>
    public IReadOnlyList<string> Violations(NemesisTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        var violations = new List<string>();
        if (tally.AcknowledgedWrites < MinAcknowledgedWrites)
        {
            violations.Add($"{tally.AcknowledgedWrites} acknowledged writes, fewer than {MinAcknowledgedWrites}");
        }

        if (tally.SuccessfulSwaps < MinSuccessfulSwaps)
        {
            violations.Add($"{tally.SuccessfulSwaps} successful compare-and-swaps, fewer than {MinSuccessfulSwaps}");
        }

        if (tally.Operations == 0 || tally.UnknownShare > MaxUnknownShare)
        {
            violations.Add(string.Create(CultureInfo.InvariantCulture, $"{tally.Unknown} of {tally.Operations} outcomes unknown, more than {MaxUnknownShare:P0}"));
        }

        if (tally.Membership.Succeeded < MinMembershipChanges)
        {
            violations.Add($"{tally.Membership.Succeeded} membership changes succeeded, fewer than {MinMembershipChanges}");
        }

        violations.AddRange(RequiredFaults.Where(k => tally.Faults.GetValueOrDefault(k) == 0).Select(k => $"no {k} fault injected"));
        return violations;
    }
}
