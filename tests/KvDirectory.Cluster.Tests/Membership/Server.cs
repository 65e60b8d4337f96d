namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>Which implementation a membership scenario runs against: real etcd 3.4 (the reference) or ours.</summary>
public enum Server
{
    Etcd,
    KvDirectory,
}
