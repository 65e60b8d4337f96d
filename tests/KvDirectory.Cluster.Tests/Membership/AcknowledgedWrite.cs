namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>A PUT the cluster acknowledged: every member must end up holding <see cref="Value"/> at <see cref="Key"/>.</summary>
public sealed record AcknowledgedWrite(string Key, string Value, long Index, string Member);
