using KvDirectory.Node.Membership;
using KvDirectory.Node.Metrics;
using KvDirectory.Node.Proposals;
using KvDirectory.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace KvDirectory.Node.Tests;

/// <summary>
/// A write is encoded once between the endpoint and the log: the command goes straight into the entry data that the
/// Raft log, the WAL and the peers share. Also prints what a whole PUT allocates in a single-member node.
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class ProposalAllocationTests(ITestOutputHelper output) : IDisposable
{
    private static readonly StoreCommand Put = new SetCommand("/bench/key-000042", false, new string('v', 100), null, false);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("kvdir-alloc-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public void Encoding_a_command_allocates_only_the_entry_data_array()
    {
        ProposalPayload.Encode(1, Put);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var payload = ProposalPayload.Encode(2, Put);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var arraySize = 24 + ((payload.Length + 7) / 8 * 8);
        allocated.Should().Be(arraySize, "one exact-size array of {0} bytes is all it takes", payload.Length);
        ProposalPayload.TryDecode(payload, out var id, out var body).Should().BeTrue();
        id.Should().Be(2UL);
        StoreCommandCodec.Decode(body.Span).Should().Be(Put);
    }

    [Fact]
    public async Task A_put_through_a_single_member_node_allocates_a_bounded_amount()
    {
        const ulong id = 0x8e9e05c52164694d;
        var options = new NodeOptions
        {
            DataDir = _dataDir,
            InitialCluster = new ClusterState(0xcdf818194e3a8c32, id, [new ClusterMember(id, "alloc", ["http://127.0.0.1:2380"], ["http://127.0.0.1:2379"])]),
            // etcd's defaults: the loop's own ticks (allocations that grow with time, not with writes) stay rare.
            HeartbeatIntervalMilliseconds = 100,
            ElectionTimeoutMilliseconds = 1_000,
            RequestTimeout = TimeSpan.FromSeconds(30),
        };
        using var node = ReplicatedNode.Start(new V2Store(new StoreOptions(), TimeProvider.System), options, new NodeMetrics(), NullLogger.Instance);
        for (var i = 0; i < 200; i++)
        {
            await node.ProposeAsync(Put, CancellationToken.None);
        }

        const int puts = 2_000;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < puts; i++)
        {
            await node.ProposeAsync(Put, CancellationToken.None);
        }

        var perPut = (GC.GetTotalAllocatedBytes(precise: true) - before) / puts;
        output.WriteLine($"allocated per PUT (all threads, 100-byte value, sequential): {perPut} bytes");
        perPut.Should().BeLessThan(12 * 1024, "a PUT is a handful of small objects, not buffers that grow with the load");
    }
}

/// <summary>Counts every thread's allocations, so nothing else in this assembly may run meanwhile (the simulation allocates plenty).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "allocations, alone";
}
