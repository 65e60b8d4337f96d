using System.Globalization;
using System.Text;

namespace KvDirectory.Cluster.Tests.Linearizability;

public enum Verdict
{
    Linearizable,
    NotLinearizable,
    /// <summary>The step or time budget ran out before the search decided.</summary>
    Unknown,
}

/// <summary>The verdict for one key's sub-history.</summary>
public sealed record KeyResult(string Key, Verdict Verdict, int OperationCount, IReadOnlyList<Operation> FailingPrefix);

/// <summary>The verdict for a whole history: the worst verdict of its keys, with per-key detail.</summary>
public sealed record CheckResult(Verdict Verdict, IReadOnlyList<KeyResult> Keys, long Steps, TimeSpan Elapsed)
{
    public bool IsLinearizable => Verdict == Verdict.Linearizable;

    /// <summary>
    /// A report fit for a failed assertion: for each violating key, the history as it stood at the earliest instant
    /// it was already non-linearizable, one line per operation, times relative to the first call shown.
    /// </summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{Verdict}: {Keys.Count} key(s), {Keys.Sum(k => k.OperationCount)} operation(s), {Steps} step(s) in {Elapsed.TotalMilliseconds:F1} ms");
        foreach (var key in Keys.Where(k => k.Verdict != Verdict.Linearizable))
        {
            text.AppendLine();
            if (key.Verdict == Verdict.Unknown)
            {
                text.Append(CultureInfo.InvariantCulture, $"key {key.Key}: undecided (budget exhausted) over {key.OperationCount} operation(s)");
                continue;
            }

            text.Append(CultureInfo.InvariantCulture,
                $"key {key.Key}: not linearizable; shortest failing prefix has {key.FailingPrefix.Count} of {key.OperationCount} operation(s) (operations without a known outcome by then omitted: they can only help):");
            text.AppendLine();
            text.Append(Format(key.FailingPrefix, MaxLinesShown));
        }

        return text.ToString();
    }

    public override string ToString() => Describe();

    /// <summary>Describe shows at most this many operations per key; the anomaly is at the end of the prefix.</summary>
    public const int MaxLinesShown = 40;

    /// <summary>
    /// One line per operation, sorted by call time: <c>[c1] 0→12  Set(k, v) → ok</c>. The operation that returned last
    /// is marked: in a failing prefix it is the first observation that no linearization explains. Only the last
    /// <paramref name="maxLines"/> operations are shown, since the anomaly is at the end.
    /// </summary>
    public static string Format(IEnumerable<Operation> operations, int maxLines = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var sorted = operations.OrderBy(o => o.Call).ThenBy(o => o.Return).ToList();
        if (sorted.Count == 0)
        {
            return string.Empty;
        }

        var witness = sorted.Where(o => !o.IsUnknown).MaxBy(o => o.Return);
        var shown = sorted.Skip(Math.Max(0, sorted.Count - maxLines)).ToList();
        var origin = sorted[0].Call;
        var lines = shown.Select(o =>
        {
            var ret = o.Return == Operation.NeverReturned ? "∞" : (o.Return - origin).ToString(CultureInfo.InvariantCulture);
            var mark = ReferenceEquals(o, witness) ? "   ← returned last: no linearization explains it" : string.Empty;
            return string.Create(CultureInfo.InvariantCulture, $"  [c{o.ClientId}] {o.Call - origin}→{ret}  {o.Input} → {o.Output}{mark}");
        });
        var omitted = sorted.Count - shown.Count;
        var header = omitted > 0 ? [$"  … {omitted} earlier operation(s) omitted (all in KeyResult.FailingPrefix)"] : Array.Empty<string>();
        return string.Join(Environment.NewLine, header.Concat(lines));
    }
}
