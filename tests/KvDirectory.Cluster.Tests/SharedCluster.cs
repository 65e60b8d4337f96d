namespace KvDirectory.Cluster.Tests;

/// <summary>
/// One three-member cluster, dialling its peers through a proxy mesh, shared by the tests of
/// <see cref="SharedClusterCollection"/>: each of them leaves every member running, healthy and reachable, so the
/// next one finds the cluster as a fresh start would (plus the earlier tests' keys, which no test reads).
/// Saves a cluster start per test; tests that kill, cut or restart members start their own.
/// </summary>
public sealed class SharedCluster : IAsyncLifetime
{
    private ThreeNodeCluster? _cluster;

    public ThreeNodeCluster Cluster => _cluster ?? throw new InvalidOperationException("the shared cluster is not started yet");

    public async Task InitializeAsync() => _cluster = await ThreeNodeCluster.StartAsync(dialThroughProxies: true);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>The test classes that share one <see cref="SharedCluster"/>; they run one after another, never beside each other.</summary>
[CollectionDefinition(Name)]
public sealed class SharedClusterCollection : ICollectionFixture<SharedCluster>
{
    public const string Name = "One shared three-member cluster";
}
