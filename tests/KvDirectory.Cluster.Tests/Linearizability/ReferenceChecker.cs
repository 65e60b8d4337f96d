namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>
/// A second, deliberately plain implementation for histories too long for brute force but up to 64 operations:
/// depth-first over "which operation takes effect next" (any one that no pending operation returned before),
/// memoising failed (linearized mask, register) pairs. None of the checker's reductions (greedy reads, twin and
/// dominance pruning, per-key split), so agreement tests those reductions.
/// </summary>
internal static class ReferenceChecker
{
    public const int MaxOperations = 64;

    public static bool IsLinearizable(IReadOnlyList<Operation> history)
    {
        if (history.Count > MaxOperations)
        {
            throw new ArgumentException($"the reference checker is limited to {MaxOperations} operations", nameof(history));
        }

        if (history.Select(o => o.Input.Key).Distinct().Count() > 1)
        {
            throw new ArgumentException("the reference checker models a single key", nameof(history));
        }

        var failed = new HashSet<(ulong, string?)>();
        var all = history.Count == 64 ? ulong.MaxValue : (1UL << history.Count) - 1;
        return Search(history, 0, null, all, failed);
    }

    private static bool Search(IReadOnlyList<Operation> history, ulong done, string? state, ulong all, HashSet<(ulong, string?)> failed)
    {
        if (done == all)
        {
            return true;
        }

        if (failed.Contains((done, state)))
        {
            return false;
        }

        var earliestReturn = long.MaxValue;
        for (var i = 0; i < history.Count; i++)
        {
            if ((done & (1UL << i)) == 0)
            {
                earliestReturn = Math.Min(earliestReturn, history[i].IsUnknown ? Operation.NeverReturned : history[i].Return);
            }
        }

        for (var i = 0; i < history.Count; i++)
        {
            if ((done & (1UL << i)) != 0 || history[i].Call > earliestReturn)
            {
                continue;
            }

            if (KeyValueModel.TryStep(state, history[i], out var next) && Search(history, done | (1UL << i), next, all, failed))
            {
                return true;
            }
        }

        failed.Add((done, state));
        return false;
    }
}
