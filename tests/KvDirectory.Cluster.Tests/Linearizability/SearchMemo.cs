namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>
/// The visited search nodes. A node is (known outcomes linearized, model state, unknown outcomes linearized).
/// Having used fewer unknown outcomes only leaves more options, so a node is pruned when a visited node with the
/// same known set and state used a subset of its unknown outcomes: without that dominance rule the memo tells apart
/// every subset of pending unknown outcomes, and a history with a few dozen lost responses never finishes.
/// </summary>
internal sealed class SearchMemo(int unknownCount)
{
    private readonly Dictionary<SearchState, List<ulong[]>> _visited = [];

    public ulong[] Unknown { get; } = new ulong[(unknownCount + 63) / 64];

    public void SetUnknown(int index, bool linearized)
    {
        if (linearized)
        {
            Unknown[index >> 6] |= 1UL << (index & 63);
        }
        else
        {
            Unknown[index >> 6] &= ~(1UL << (index & 63));
        }
    }

    /// <summary>Records the node unless a visited node dominates it; false means prune.</summary>
    public bool TryVisit(SearchState known)
    {
        if (!_visited.TryGetValue(known, out var used))
        {
            _visited.Add(known.Freeze(), [(ulong[])Unknown.Clone()]);
            return true;
        }

        foreach (var subset in used)
        {
            if (IsSubset(subset, Unknown))
            {
                return false;
            }
        }

        used.Add((ulong[])Unknown.Clone());
        return true;
    }

    private static bool IsSubset(ulong[] subset, ulong[] set)
    {
        for (var i = 0; i < subset.Length; i++)
        {
            if ((subset[i] & ~set[i]) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
