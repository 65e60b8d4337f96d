namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>
/// The history as an observer would have seen it at an instant: every operation called by then, those that had
/// not returned yet turned into unknown outcomes. Linearizability is closed under this cut (a linearizable history
/// stays linearizable at every instant), so the earliest failing instant is well defined and found by bisection —
/// unlike a naive prefix by call time, which can drop the write a read legitimately saw and invent a violation.
/// </summary>
internal static class HistoryCut
{
    public static List<Operation> At(IEnumerable<Operation> operations, long instant) =>
        operations
            .Where(o => o.Call <= instant)
            .Select(o => o.Return <= instant ? o : Operation.Abandoned(o.ClientId, o.Call, o.Input))
            .OrderBy(o => o.Call).ThenBy(o => o.Return)
            .ToList();

    /// <summary>The return times of known outcomes, ascending: the only instants at which a violation can appear.</summary>
    public static long[] Instants(IEnumerable<Operation> operations) =>
        operations.Where(o => !o.IsUnknown).Select(o => o.Return).Distinct().Order().ToArray();
}
