using KvDirectory.Testing;

namespace KvDirectory.Client.Recipes.Tests;

/// <summary>LeaderElection across real processes: one leader at a time, and a new one after the leader is killed.</summary>
public sealed class ElectionTests : IAsyncLifetime
{
    private const int TtlSeconds = 3;
    private ServerProcess? _server;

    public async Task InitializeAsync() => _server = await ServerProcess.StartKvDirectoryAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Killing_the_leader_elects_another_within_the_ttl_and_never_two_at_once()
    {
        var candidates = new[] { "a", "b", "c" }
            .Select(id => (Id: id, Host: ContenderProcess.Start("elect", _server!.Endpoint, "/election/leader", id, $"{TtlSeconds}")))
            .ToList();
        try
        {
            var first = await FirstLeaderAsync(candidates.Select(c => c.Host).ToList());
            var leader = candidates.Single(c => c.Host == first);
            var observed = new List<string?>();
            using var client = new EtcdClient(new EtcdClientOptions { Endpoints = [_server!.ClientUrl], RequestTimeout = TimeSpan.FromSeconds(10) });
            var election = new LeaderElection(client, "/election/leader", "observer", TimeSpan.FromSeconds(TtlSeconds));
            using var observing = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await using var values = election.ObserveAsync(observing.Token).GetAsyncEnumerator(observing.Token);
            (await values.MoveNextAsync()).Should().BeTrue();
            values.Current.Should().Be(leader.Id);

            await leader.Host.KillAndWaitAsync();
            var rest = candidates.Where(c => c != leader).Select(c => c.Host).ToList();
            var second = await FirstLeaderAsync(rest);
            var (_, electedAt) = await second.WaitForAsync("LEADER");
            var failover = TimeSpan.FromMilliseconds(electedAt - leader.Host.KilledAtMilliseconds);
            failover.Should().BeLessThan(TimeSpan.FromSeconds(TtlSeconds + 1), "a new leader within TTL + 1 s of the kill");

            // The observer saw the key go (expire) and the new leader arrive, in that order.
            (await values.MoveNextAsync()).Should().BeTrue();
            values.Current.Should().BeNull();
            (await values.MoveNextAsync()).Should().BeTrue();
            values.Current.Should().Be(candidates.Single(c => c.Host == second).Id);

            // Histories: exactly one LEADER line among the survivors, and no LOSTLEAD (nobody lost it while alive).
            rest.Sum(h => h.Lines.Count(l => l.StartsWith("LEADER", StringComparison.Ordinal))).Should().Be(1);
            first.Lines.Count(l => l.StartsWith("LEADER", StringComparison.Ordinal)).Should().Be(1);
        }
        finally
        {
            foreach (var (_, host) in candidates)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Resign_is_idempotent_and_hands_over()
    {
        using var client = new EtcdClient(new EtcdClientOptions { Endpoints = [_server!.ClientUrl], RequestTimeout = TimeSpan.FromSeconds(10) });
        var a = new LeaderElection(client, "/election/resign", "a", TimeSpan.FromSeconds(10));
        var b = new LeaderElection(client, "/election/resign", "b", TimeSpan.FromSeconds(10));
        await using var leadership = await a.CampaignAsync();
        leadership.IsLeader.Should().BeTrue();
        var waiting = b.CampaignAsync();
        waiting.IsCompleted.Should().BeFalse();
        await a.ResignAsync();
        await a.ResignAsync();
        await using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(60));
        next.IsLeader.Should().BeTrue();
        await FluentActions.Awaiting(() => Task.Delay(Timeout.Infinite, leadership.Lost).WaitAsync(TimeSpan.FromSeconds(60)))
            .Should().ThrowAsync<TaskCanceledException>("the lost token fires");
        leadership.IsLeader.Should().BeFalse("its renewal conditioned on its own value fails once b holds the key");
    }

    private static async Task<ContenderProcess> FirstLeaderAsync(IReadOnlyList<ContenderProcess> hosts)
    {
        // Generous: on a loaded machine three fresh .NET processes take a while to start.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        while (true)
        {
            var leaders = hosts.Where(h => h.HasPrinted("LEADER")).ToList();
            leaders.Should().HaveCountLessThanOrEqualTo(1, "two processes reported leadership at once");
            if (leaders.Count == 1)
            {
                return leaders[0];
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "someone should lead; the candidates printed:\n" + string.Join("\n", hosts.SelectMany(h => h.Lines)));
            await Task.Delay(20);
        }
    }
}
