using System.Diagnostics;

namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>
/// Decides whether a concurrent history of etcd v2 key operations is linearizable.
/// Linearizability is compositional (Herlihy &amp; Wing), so each key's sub-history is checked on its own:
/// the search space shrinks from the product of all keys to their sum.
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
        foreach (var group in history.GroupBy(o => o.Input.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
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
    /// The shortest prefix by call time that is already non-linearizable. Dropping later calls can also remove the
    /// write a read legitimately saw, so failure is not monotone in the prefix length: gallop to the first failing
    /// length, then bisect, and keep only prefixes the search really rejected. The whole key is the fallback.
    /// </summary>
    private static IReadOnlyList<Operation> ShortestFailingPrefix(List<Operation> operations, SearchBudget budget)
    {
        var byCall = operations.OrderBy(o => o.Call).ThenBy(o => o.Return).ToList();
        bool Fails(int length) =>
            KeySearch.Check(byCall.GetRange(0, length), budget) == SearchOutcome.NotLinearizable;

        var failing = byCall.Count;
        var passing = 0;
        for (var length = 1; length < byCall.Count; length *= 2)
        {
            if (Fails(length))
            {
                failing = length;
                break;
            }

            passing = length;
        }

        while (failing - passing > 1 && !budget.Exhausted)
        {
            var middle = passing + ((failing - passing) / 2);
            if (Fails(middle))
            {
                failing = middle;
            }
            else
            {
                passing = middle;
            }
        }

        return byCall.GetRange(0, failing);
    }
}
