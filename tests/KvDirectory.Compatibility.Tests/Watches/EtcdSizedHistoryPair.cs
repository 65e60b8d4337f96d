using KvDirectory.Compatibility.Tests.Harness;

namespace KvDirectory.Compatibility.Tests.Watches;

/// <summary>
/// A pair whose candidate keeps etcd's 1000-event history (ours keeps 10000 by default, a deliberate difference
/// listed in KNOWN-DIFFERENCES.md): with equal sizes the "history cleared" answers must be equal too.
/// </summary>
public sealed class EtcdSizedHistoryPair : ServerPair
{
    protected override IEnumerable<string> CandidateArguments => ["--event-history", "1000"];
}
