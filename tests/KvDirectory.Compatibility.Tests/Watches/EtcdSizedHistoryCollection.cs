namespace KvDirectory.Compatibility.Tests.Watches;

/// <summary>The tests that need the candidate's history as small as etcd's share one such pair.</summary>
[CollectionDefinition(Name)]
public sealed class EtcdSizedHistoryCollection : ICollectionFixture<EtcdSizedHistoryPair>
{
    public const string Name = "etcd-sized history";
}
