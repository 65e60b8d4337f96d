using System.Diagnostics;

namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>
/// Decides whether a concurrent history of etcd v2 key operations is linearizable.
/// Linearizability is compositional (Herlihy &amp; Wing), so each key's sub-history is checked on its own:
/// the search space shrinks from the product of all keys to their sum.
/// <example>
/// In a cluster test, each client task records around every request:
/// <code>
/// var recorder = new HistoryRecorder();
/// var pending = recorder.Call(clientId, OperationInput.CompareAndSwap("/k", "a", "b"));
/// try { pending.Return(await SendAsync(...) /* Ok(), CompareFailed(), NotFound() … */); }
/// catch (HttpRequestException) { pending.ReturnUnknown(); }   // or simply never return it
/// ...
/// var result = LinearizabilityChecker.Check(recorder.ToHistory());
/// result.Verdict.Should().Be(Verdict.Linearizable, result.Describe());
/// </code>
/// Record a Set's success as <see cref="OperationOutput.Ok"/> and a read as <see cref="PendingOperation.ReturnRead"/>.
/// </example>
/// </summary>
public static class LinearizabilityChecker
{
    public static CheckResult Check(IEnumerable<Operation> history, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        options ??= CheckOptions.Default;
        var started = Stopwatch.GetTimestamp();
        var budget = new SearchBudget(options);

        var keys = new List<KeyResult>();
        // An unknown outcome may take effect arbitrarily late, whatever return time a caller gave it.
        var normalized = history.Select(o => o.IsUnknown && o.Return != Operation.NeverReturned ? o with { Return = Operation.NeverReturned } : o);
        foreach (var group in normalized.GroupBy(o => o.Input.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var operations = group.ToList();
            var outcome = KeySearch.Check(operations, budget);
            keys.Add(outcome switch
            {
                SearchOutcome.Linearizable => new KeyResult(group.Key, Verdict.Linearizable, operations.Count, []),
                SearchOutcome.TimedOut => new KeyResult(group.Key, Verdict.Unknown, operations.Count, []),
                _ => new KeyResult(group.Key, Verdict.NotLinearizable, operations.Count,
                    options.Minimize ? ShortestFailingPrefix(operations, budget) : operations),
            });
        }

        var verdict = keys.Any(k => k.Verdict == Verdict.NotLinearizable) ? Verdict.NotLinearizable
            : keys.Any(k => k.Verdict == Verdict.Unknown) ? Verdict.Unknown
            : Verdict.Linearizable;
        return new CheckResult(verdict, keys, budget.Steps, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// The history at the earliest instant at which it is already non-linearizable (see <see cref="HistoryCut"/>),
    /// known outcomes only.
    /// Failure is monotone in the instant, so bisect over the return times. The whole key is the fallback when the
    /// budget runs out.
    /// </summary>
    private static IReadOnlyList<Operation> ShortestFailingPrefix(List<Operation> operations, SearchBudget budget)
    {
        var instants = HistoryCut.Instants(operations);
        var failing = instants.Length - 1;
        var passing = -1;
        while (failing - passing > 1)
        {
            var middle = passing + ((failing - passing) / 2);
            var outcome = KeySearch.Check(HistoryCut.At(operations, instants[middle]), budget);
            if (outcome == SearchOutcome.TimedOut)
            {
                return operations.OrderBy(o => o.Call).ThenBy(o => o.Return).ToList();
            }

            if (outcome == SearchOutcome.NotLinearizable)
            {
                failing = middle;
            }
            else
            {
                passing = middle;
            }
        }

        // An unknown outcome only adds freedom (it can always go last), so a failing history still fails without
        // them: drop them, including the operations merely pending at the cut, to leave only observations.
        return HistoryCut.At(operations, instants[failing]).Where(o => !o.IsUnknown).ToList();
    }
}
