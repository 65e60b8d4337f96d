using System.Globalization;
using System.Text;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// The sum over every seed of one test run (the 200 of KVDIR_LONG=1 above all): each seed's test prints the totals
/// so far after its own tally, so the last seed's output holds the overall totals; they are also sent as a
/// diagnostic message when the class is done.
/// </summary>
public sealed class NemesisTotals(IMessageSink diagnostics) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<NemesisFaultKind, int> _faults = [];
    private readonly Dictionary<string, int> _serverErrors = new(StringComparer.Ordinal);
    private readonly List<int> _anomalies = [];
    private readonly List<int> _failures = [];
    private MembershipTally _membership = MembershipTally.None;
    private int _seeds;
    private long _operations;
    private long _acknowledgedWrites;
    private long _successfulSwaps;
    private long _unknown;

    /// <summary>Adds one seed's run: its tally when it got that far, and whether it found an anomaly or failed otherwise.</summary>
    public void Add(int seed, NemesisTally? tally, bool anomaly, bool failed)
    {
        lock (_gate)
        {
            _seeds++;
            if (anomaly)
            {
                _anomalies.Add(seed);
            }
            else if (failed)
            {
                _failures.Add(seed);
            }

            if (tally is null)
            {
                return;
            }

            _operations += tally.Operations;
            _acknowledgedWrites += tally.AcknowledgedWrites;
            _successfulSwaps += tally.SuccessfulSwaps;
            _unknown += tally.Unknown;
            _membership += tally.Membership;
            foreach (var (kind, count) in tally.Faults)
            {
                _faults[kind] = _faults.GetValueOrDefault(kind) + count;
            }

            foreach (var (error, count) in tally.ServerErrors)
            {
                _serverErrors[error] = _serverErrors.GetValueOrDefault(error) + count;
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            var faults = Enum.GetValues<NemesisFaultKind>().Select(k => $"{k}×{_faults.GetValueOrDefault(k)}");
            var errors = _serverErrors.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}×{p.Value}");
            return new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"nemesis totals over {_seeds} seeds: {_operations} operations, {_acknowledgedWrites} acknowledged writes, ")
                .Append(CultureInfo.InvariantCulture, $"{_successfulSwaps} successful CAS, {_unknown} unknown outcomes ({(_operations == 0 ? 0 : (double)_unknown / _operations):P1}); ")
                .Append(CultureInfo.InvariantCulture, $"faults {string.Join(", ", faults)} ({_faults.Values.Sum()} in all); server errors {string.Join(", ", errors)}; {_membership}; ")
                .Append(CultureInfo.InvariantCulture, $"anomalies {_anomalies.Count}{Seeds(_anomalies)}, other failures {_failures.Count}{Seeds(_failures)}")
                .ToString();
        }
    }

    public void Dispose() => diagnostics.OnMessage(new DiagnosticMessage(ToString()));

    private static string Seeds(List<int> seeds) => seeds.Count == 0 ? string.Empty : $" (seeds {string.Join(' ', seeds)})";
}
