using KvDirectory.Testing;

namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>What one server answered to a whole scenario, with the index base its answers are normalised against.</summary>
public sealed record ServerRun(ServerProcess Server, IndexRebase Rebase, IReadOnlyList<ExchangeRecord> Exchanges);
