namespace KvDirectory.Compatibility.Tests.Clients;

/// <summary>etcdctl and python-etcd share their own server pair, so they can run beside the differential collection.</summary>
[CollectionDefinition(Name)]
public sealed class RealClientCollection : ICollectionFixture<RealClientPair>
{
    public const string Name = "real clients";
}
