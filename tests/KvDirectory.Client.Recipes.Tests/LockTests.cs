using System.Globalization;
using KvDirectory.Cluster.Tests;
using KvDirectory.Testing;

namespace KvDirectory.Client.Recipes.Tests;

/// <summary>DistributedLock across real processes: exclusion, fencing, a killed holder, a holder cut off from the cluster.</summary>
public sealed class LockTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"kvdirectory-locks-{Guid.NewGuid():N}");
    private ServerProcess? _server;

    private ServerProcess Server => _server!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _server = await ServerProcess.StartKvDirectoryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Twenty_one_contenders_in_three_processes_never_overlap_and_fencing_tokens_only_grow()
    {
        var counter = Path.Combine(_dir, "counter");
        var tokens = Path.Combine(_dir, "tokens");
        const int processes = 3, contenders = 7, iterations = 3;
        var hosts = Enumerable.Range(0, processes)
            .Select(_ => ContenderProcess.Start("lock", Server.Endpoint, "/locks/shared", "10", $"{contenders}", $"{iterations}", counter, tokens))
            .ToList();
        try
        {
            foreach (var host in hosts)
            {
                await host.WaitForAsync("DONE");
            }

            // Every increment was a read-pause-write under the lock: a lost update would show as a smaller count.
            int.Parse(await File.ReadAllTextAsync(counter), CultureInfo.InvariantCulture).Should().Be(processes * contenders * iterations);
            var fencing = (await File.ReadAllLinesAsync(tokens)).Select(long.Parse).ToList();
            fencing.Should().HaveCount(processes * contenders * iterations).And.BeInAscendingOrder().And.OnlyHaveUniqueItems();
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_killed_holders_lock_passes_on_after_its_ttl()
    {
        await using var holder = ContenderProcess.Start("hold", Server.Endpoint, "/locks/killed", "3");
        var (acquired, _) = await holder.WaitForAsync("ACQUIRED");
        await using var waiter = ContenderProcess.Start("lock", Server.Endpoint, "/locks/killed", "3", "1", "1", Path.Combine(_dir, "c2"), Path.Combine(_dir, "t2"));
        using var client = new EtcdClient(new EtcdClientOptions { Endpoints = [Server.ClientUrl], RequestTimeout = TimeSpan.FromSeconds(10) });
        await Eventually(async () => (await client.Keys.GetAsync("/locks/killed", new GetOptions { Recursive = true })).Node!.Nodes?.Count == 2, "the waiter to queue");
        waiter.HasPrinted("ACQUIRED").Should().BeFalse("the holder still holds the lock");

        await holder.KillAndWaitAsync();
        var (second, _) = await waiter.WaitForAsync("ACQUIRED");
        await waiter.WaitForAsync("DONE");
        Token(second).Should().BeGreaterThan(Token(acquired));
    }

    [Fact]
    public async Task A_holder_cut_off_from_the_cluster_is_told_its_lock_is_lost_before_the_next_holder_gets_it()
    {
        await using var cluster = await ThreeNodeCluster.StartAsync();
        var leader = await cluster.WaitForLeaderAsync();
        var cutOff = cluster.Members.First(m => m != leader);
        var others = string.Join(',', cluster.Members.Where(m => m != cutOff).Select(m => m.ClientUrl.ToString().TrimEnd('/')));
        await using var holder = ContenderProcess.Start("hold", cutOff.ClientUrl.ToString().TrimEnd('/'), "/locks/cut", "4");
        var (acquired, _) = await holder.WaitForAsync("ACQUIRED");
        await using var next = ContenderProcess.Start("lock", others, "/locks/cut", "4", "1", "1", Path.Combine(_dir, "c3"), Path.Combine(_dir, "t3"));

        // The holder's only server freezes: its renewals time out, the key runs out its TTL on the other two.
        cutOff.Pause();
        try
        {
            var (_, lostAt) = await holder.WaitForAsync("LOST");
            var (taken, takenAt) = await next.WaitForAsync("ACQUIRED");
            lostAt.Should().BeLessThan(takenAt, "the holder must know before anyone else can hold the lock");
            Token(taken).Should().BeGreaterThan(Token(acquired));
        }
        finally
        {
            cutOff.Resume();
        }
    }

    private static long Token(string line) => long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, what);
            await Task.Delay(50);
        }
    }
}
