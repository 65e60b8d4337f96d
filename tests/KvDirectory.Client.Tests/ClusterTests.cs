using KvDirectory.Cluster.Tests;
using KvDirectory.Protocol;

namespace KvDirectory.Client.Tests;

/// <summary>The client against three live members: failover, discovery, and a watch that survives the leader's death.</summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private ThreeNodeCluster? _cluster;

    private ThreeNodeCluster Cluster => _cluster!;

    public async Task InitializeAsync() => _cluster = await ThreeNodeCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Calls_fail_over_when_the_endpoint_in_use_is_killed()
    {
        var members = Cluster.Members;
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [.. members.Select(m => m.ClientUrl)],
            MaxRetryAttempts = 10,
            RetryBaseDelay = TimeSpan.FromMilliseconds(100),
        });
        await client.Keys.SetAsync("/f/a", "1");
        await members[0].KillAsync();

        // Plain sets and reads are idempotent: they move on (and retry while a new leader is elected) without error.
        (await client.Keys.SetAsync("/f/a", "2")).Node!.Value.Should().Be("2");
        (await client.Keys.GetAsync("/f/a", new GetOptions { Quorum = true })).Node!.Value.Should().Be("2");
    }

    [Fact]
    public async Task Endpoints_are_discovered_from_the_member_list()
    {
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [Cluster.Members[0].ClientUrl],
            DiscoveryInterval = TimeSpan.FromMilliseconds(200),
        });
        await Cluster.PollAsync("three discovered endpoints", () => Task.FromResult(client.Endpoints.Count == 3));
        client.Endpoints.Select(u => u.Port).Should().BeEquivalentTo(Cluster.Members.Select(m => m.ClientUrl.Port));

        await Cluster.Members[0].KillAsync();
        await Cluster.PollAsync("a read through the discovered members", async () =>
        {
            try
            {
                await client.Keys.GetAsync("/", new GetOptions { Quorum = true });
                return true;
            }
            catch (ClusterException)
            {
                return false;
            }
        });
    }

    [Fact]
    public async Task A_watch_survives_a_leader_kill_with_every_event_exactly_once()
    {
        var leader = await Cluster.WaitForLeaderAsync();
        // The watcher talks to the leader first, so the kill cuts its long poll.
        Uri[] endpoints = [leader.ClientUrl, .. Cluster.Members.Where(m => m != leader).Select(m => m.ClientUrl)];
        using var watcher = new EtcdClient(new EtcdClientOptions { Endpoints = endpoints });
        using var writer = new EtcdClient(new EtcdClientOptions { Endpoints = endpoints, RequestTimeout = TimeSpan.FromSeconds(1) });
        var start = await writer.Keys.SetAsync("/elect/start", "0");
        using var timeout = new CancellationTokenSource(Deadline);
        var seen = new List<(string Key, long Index)>();
        var collecting = Task.Run(async () =>
        {
            await foreach (var update in watcher.Keys.WatchAsync("/w", recursive: true, fromIndex: start.Node!.ModifiedIndex + 1, timeout.Token))
            {
                update.Kind.Should().Be(WatchUpdateKind.Event);
                lock (seen)
                {
                    seen.Add((update.Event!.Node!.Key!, update.Event.Node.ModifiedIndex));
                }
            }
        });

        for (var i = 0; i < 60; i++)
        {
            if (i == 20)
            {
                await leader.KillAsync();
            }

            await CreateEventuallyAsync(writer, $"/w/k{i:D3}", timeout.Token);
        }

        // What the cluster holds is the truth: every key created once, at its createdIndex (no key is written twice).
        var truth = (await writer.Keys.GetAsync("/w", new GetOptions { Recursive = true, Sorted = true, Quorum = true }, timeout.Token))
            .Node!.Nodes!.Select(n => (n.Key!, n.CreatedIndex)).OrderBy(n => n.CreatedIndex).ToList();
        truth.Should().HaveCount(60);
        await Cluster.PollAsync("the watcher to catch up", () =>
        {
            lock (seen)
            {
                return Task.FromResult(seen.Count >= truth.Count);
            }
        });
        await timeout.CancelAsync();
        await FluentActions.Awaiting(() => collecting).Should().ThrowAsync<OperationCanceledException>();
        seen.Should().Equal(truth);
    }

    /// <summary>A create that may have to wait out the election; an unknown outcome is settled by reading the key.</summary>
    private static async Task CreateEventuallyAsync(EtcdClient client, string key, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await client.Keys.SetAsync(key, "v", new SetOptions { PrevExist = PrevExistCondition.MustNotExist }, cancellationToken);
                return;
            }
            catch (EtcdException exception) when (exception.ErrorCode == EtcdErrorCode.NodeExist)
            {
                return;
            }
            catch (ClusterException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
