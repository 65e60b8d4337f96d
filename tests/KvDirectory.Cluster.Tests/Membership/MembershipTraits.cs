namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// Every membership scenario runs once per <see cref="Server"/>, in a concrete class carrying
/// <c>[Trait(MembershipTraits.Server, …)]</c>: <c>--filter "Server=Etcd"</c> proves the tests against real etcd,
/// <c>--filter "Server=KvDirectory"</c> runs them against ours (failing until runtime membership lands).
/// </summary>
public static class MembershipTraits
{
    public const string Server = "Server";

    public const string Etcd = "Etcd";

    public const string KvDirectory = "KvDirectory";
}
