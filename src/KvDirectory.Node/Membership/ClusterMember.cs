namespace KvDirectory.Node.Membership;

/// <summary>One member of the cluster as this node knows it.</summary>
public sealed record ClusterMember(ulong Id, string Name, IReadOnlyList<string> PeerUrls, IReadOnlyList<string> ClientUrls);
