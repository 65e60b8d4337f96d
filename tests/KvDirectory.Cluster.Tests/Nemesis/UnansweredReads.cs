using KvDirectory.Cluster.Tests.Linearizability;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// A read whose answer never came constrains nothing: it changes no state and observed nothing, so any
/// linearization of the history without it extends to one with it (put it anywhere in its interval). Dropping such
/// reads is sound and spares the checker thousands of operations when a partition times out every quorum read.
/// </summary>
public static class UnansweredReads
{
    public static IReadOnlyList<Operation> Drop(IEnumerable<Operation> history) =>
        [.. history.Where(o => !(o.IsUnknown && o.Input.Kind == OperationKind.Get))];
}
