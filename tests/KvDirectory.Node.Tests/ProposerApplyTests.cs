using KvDirectory.Node.Membership;
using KvDirectory.Node.Metrics;
using KvDirectory.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Node.Tests;

/// <summary>
/// The proposing member applies the command object it encoded instead of decoding its own entry, but only when the
/// object is what every other member decodes: a text the encoding changes is applied as the bytes say, so the
/// proposer's store never differs from its followers' or from its own replay after a restart.
/// </summary>
// A real node with a real clock and fsyncs: alone, so it does not slow the stepped simulations beside it.
[Collection(AllocationCollection.Name)]
public sealed class ProposerApplyTests : IDisposable
{
    private const ulong Id = 0x8e9e05c52164694d;

    private readonly string _dataDir = Directory.CreateTempSubdirectory("kvdir-proposer-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task A_value_the_encoding_changes_is_stored_as_encoded_and_survives_a_restart_unchanged()
    {
        var store = new V2Store(new StoreOptions(), TimeProvider.System);
        using (var node = Start(store))
        {
            await node.ProposeAsync(new SetCommand("/plain", false, "value", null, false), CancellationToken.None);
            var answer = await node.ProposeAsync(new SetCommand("/lone", false, "x\uD800y", null, false), CancellationToken.None);

            answer.Node!.Value.Should().Be("x\uFFFDy", "a lone surrogate is written to the log as U+FFFD");
            store.Get("/lone", false, false).Node!.Value.Should().Be("x\uFFFDy");
            store.Get("/plain", false, false).Node!.Value.Should().Be("value");
        }

        var replayed = new V2Store(new StoreOptions(), TimeProvider.System);
        using (var restarted = Start(replayed))
        {
            // Applied in log order: once a new write is answered, the replayed ones are in the store.
            await restarted.ProposeAsync(new SetCommand("/after-restart", false, "1", null, false), CancellationToken.None);
            replayed.Get("/lone", false, false).Node!.Value.Should().Be("x\uFFFDy");
            replayed.Get("/plain", false, false).Node!.Value.Should().Be("value");
        }
    }

    private ReplicatedNode Start(V2Store store) => ReplicatedNode.Start(
        store,
        new NodeOptions
        {
            DataDir = _dataDir,
            InitialCluster = new ClusterState(0xcdf818194e3a8c32, Id, [new ClusterMember(Id, "proposer", ["http://127.0.0.1:2380"], ["http://127.0.0.1:2379"])]),
            HeartbeatIntervalMilliseconds = 100,
            ElectionTimeoutMilliseconds = 1_000,
        },
        new NodeMetrics(),
        NullLogger.Instance);
}
