using System.Globalization;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>The membership changes a <see cref="MembershipNemesis"/> made.</summary>
public enum MembershipOperation
{
    Add,
    Remove,
}

/// <summary>
/// Membership changes of one run (or many), by kind: requested, answered with success, and left unknown (no answer
/// told whether it took effect; settled from the member list after healing).
/// </summary>
public sealed record MembershipTally(int AddsRequested, int AddsSucceeded, int AddsUnknown, int RemovesRequested, int RemovesSucceeded, int RemovesUnknown)
{
    public static readonly MembershipTally None = new(0, 0, 0, 0, 0, 0);

    public int Requested => AddsRequested + RemovesRequested;

    public int Succeeded => AddsSucceeded + RemovesSucceeded;

    public MembershipTally Request(MembershipOperation kind) =>
        kind == MembershipOperation.Add ? this with { AddsRequested = AddsRequested + 1 } : this with { RemovesRequested = RemovesRequested + 1 };

    public MembershipTally Succeed(MembershipOperation kind) =>
        kind == MembershipOperation.Add ? this with { AddsSucceeded = AddsSucceeded + 1 } : this with { RemovesSucceeded = RemovesSucceeded + 1 };

    public MembershipTally LeaveUnknown(MembershipOperation kind) =>
        kind == MembershipOperation.Add ? this with { AddsUnknown = AddsUnknown + 1 } : this with { RemovesUnknown = RemovesUnknown + 1 };

    public static MembershipTally operator +(MembershipTally a, MembershipTally b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.AddsRequested + b.AddsRequested, a.AddsSucceeded + b.AddsSucceeded, a.AddsUnknown + b.AddsUnknown,
            a.RemovesRequested + b.RemovesRequested, a.RemovesSucceeded + b.RemovesSucceeded, a.RemovesUnknown + b.RemovesUnknown);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"membership adds {AddsRequested} requested/{AddsSucceeded} succeeded/{AddsUnknown} unknown, removes {RemovesRequested}/{RemovesSucceeded}/{RemovesUnknown}");
}
