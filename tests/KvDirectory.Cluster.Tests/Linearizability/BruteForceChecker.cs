namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>
/// The definition of linearizability, executed literally: try every permutation of every operation (all keys together,
/// no compositionality, no memo) and accept if one respects real-time order and the sequential model.
/// Exponential, so only for the small histories that cross-check <see cref="LinearizabilityChecker"/>.
/// </summary>
internal static class BruteForceChecker
{
    public const int MaxOperations = 8;

    public static bool IsLinearizable(IReadOnlyList<Operation> history)
    {
        if (history.Count > MaxOperations)
        {
            throw new ArgumentException($"brute force is limited to {MaxOperations} operations, got {history.Count}", nameof(history));
        }

        var order = Enumerable.Range(0, history.Count).ToArray();
        do
        {
            if (IsLegal(history, order))
            {
                return true;
            }
        }
        while (NextPermutation(order));

        return false;
    }

    private static bool IsLegal(IReadOnlyList<Operation> history, int[] order)
    {
        // Real time: if b returned before a was called, a may not be placed before b.
        for (var i = 0; i < order.Length; i++)
        {
            for (var j = i + 1; j < order.Length; j++)
            {
                if (history[order[j]].Return < history[order[i]].Call)
                {
                    return false;
                }
            }
        }

        var state = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var index in order)
        {
            var operation = history[index];
            state.TryGetValue(operation.Input.Key, out var current);
            if (!KeyValueModel.TryStep(current, operation, out var next))
            {
                return false;
            }

            state[operation.Input.Key] = next;
        }

        return true;
    }

    private static bool NextPermutation(int[] values)
    {
        var i = values.Length - 2;
        while (i >= 0 && values[i] >= values[i + 1])
        {
            i--;
        }

        if (i < 0)
        {
            return false;
        }

        var j = values.Length - 1;
        while (values[j] <= values[i])
        {
            j--;
        }

        (values[i], values[j]) = (values[j], values[i]);
        Array.Reverse(values, i + 1, values.Length - i - 1);
        return true;
    }
}
