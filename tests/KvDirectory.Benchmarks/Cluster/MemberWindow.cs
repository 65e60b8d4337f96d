namespace KvDirectory.Benchmarks.Cluster;

/// <summary>What one member used and did during one measured window, and its part in it.</summary>
/// <param name="Role">"leader", "target follower" (the one the load was sent to) or "other follower".</param>
public sealed record MemberWindow(string Name, string Role, MemberCounters Delta);
