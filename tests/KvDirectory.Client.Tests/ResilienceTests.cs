using System.Net;
using KvDirectory.Protocol;
using KvDirectory.Testing.Faults;

namespace KvDirectory.Client.Tests;

/// <summary>
/// The retry rule: idempotent calls fail over and retry; a conditional PUT, a POST or a DELETE that may have reached
/// a server is never sent again (it would fail its own condition, or write twice), and says its outcome is unknown.
/// </summary>
public sealed class ResilienceTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private readonly string _p = SingleNodeFixture.UniquePrefix();

    [Fact]
    public async Task A_compare_and_swap_whose_answer_is_lost_is_not_retried_on_the_next_endpoint()
    {
        await using var proxy = FaultProxy.Start(new IPEndPoint(IPAddress.Loopback, fixture.Server.ClientUrl.Port));
        var viaProxy = new Uri($"http://127.0.0.1:{proxy.Endpoint.Port}");
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [viaProxy, fixture.Server.ClientUrl],
            RequestTimeout = TimeSpan.FromSeconds(1),
            MaxRetryAttempts = 3,
        });
        var before = await client.Keys.SetAsync(_p + "/cas", "v0");

        // The request reaches the server and is applied; only its answer is held back.
        proxy.CutDirection(Direction.Downstream);
        var act = () => client.Keys.SetAsync(_p + "/cas", "v1", new SetOptions { PrevValue = "v0" });
        var failure = (await act.Should().ThrowAsync<ClusterException>()).Which;
        failure.OutcomeUnknown.Should().BeTrue();
        proxy.Heal();

        // A blind retry on the direct endpoint would have failed with TestFailed (101) instead, or written again.
        var after = await client.Keys.GetAsync(_p + "/cas");
        after.Node!.Value.Should().Be("v1");
        after.Node.ModifiedIndex.Should().Be(before.Node!.ModifiedIndex + 1, "the swap was applied exactly once");
    }

    [Fact]
    public async Task A_post_or_delete_whose_answer_is_lost_is_sent_once()
    {
        await using var proxy = FaultProxy.Start(new IPEndPoint(IPAddress.Loopback, fixture.Server.ClientUrl.Port));
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [new Uri($"http://127.0.0.1:{proxy.Endpoint.Port}"), fixture.Server.ClientUrl],
            RequestTimeout = TimeSpan.FromSeconds(1),
            MaxRetryAttempts = 3,
        });
        await client.Keys.SetAsync(_p + "/gone", "x");
        proxy.CutDirection(Direction.Downstream);
        await FluentActions.Awaiting(() => client.Keys.CreateInOrderAsync(_p + "/queue", "job")).Should().ThrowAsync<ClusterException>();
        await FluentActions.Awaiting(() => client.Keys.DeleteAsync(_p + "/gone")).Should().ThrowAsync<ClusterException>();
        proxy.Heal();

        var queue = await client.Keys.GetAsync(_p + "/queue", new GetOptions { Recursive = true });
        queue.Node!.Nodes.Should().ContainSingle("the POST was not sent a second time");
        await FluentActions.Awaiting(() => client.Keys.GetAsync(_p + "/gone")).Should().ThrowAsync<EtcdException>()
            .Where(e => e.ErrorCode == EtcdErrorCode.KeyNotFound);
    }

    [Fact]
    public async Task Idempotent_reads_and_plain_sets_fail_over_when_the_answer_is_lost()
    {
        await using var proxy = FaultProxy.Start(new IPEndPoint(IPAddress.Loopback, fixture.Server.ClientUrl.Port));
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [new Uri($"http://127.0.0.1:{proxy.Endpoint.Port}"), fixture.Server.ClientUrl],
            // Also the second endpoint's limit: on a CI machine running every suite at once, 1 s was once too short
            // for the direct PUT (both endpoints "exceeded header timeout").
            RequestTimeout = TimeSpan.FromSeconds(5),
        });
        proxy.CutDirection(Direction.Downstream);
        (await client.Keys.SetAsync(_p + "/plain", "v")).Node!.Value.Should().Be("v");
        (await client.Keys.GetAsync(_p + "/plain")).Node!.Value.Should().Be("v");
    }

    [Fact]
    public async Task Every_endpoint_failing_retries_a_get_with_backoff_but_never_a_delete()
    {
        await using var server = new HangUpServer();
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [server.Url],
            MaxRetryAttempts = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        });

        await FluentActions.Awaiting(() => client.Keys.GetAsync("/k")).Should().ThrowAsync<ClusterException>();
        server.Accepted.Should().Be(3, "one try and two retries");

        var delete = await FluentActions.Awaiting(() => client.Keys.DeleteAsync("/k")).Should().ThrowAsync<ClusterException>();
        delete.Which.OutcomeUnknown.Should().BeTrue();
        server.Accepted.Should().Be(4, "a DELETE is sent once");

        var cas = await FluentActions.Awaiting(() => client.Keys.SetAsync("/k", "v", new SetOptions { PrevIndex = 7 })).Should().ThrowAsync<ClusterException>();
        cas.Which.OutcomeUnknown.Should().BeTrue();
        server.Accepted.Should().Be(5, "a conditional PUT is sent once");
    }

    [Fact]
    public async Task A_failing_endpoints_circuit_opens_and_calls_stop_going_there()
    {
        await using var server = new HangUpServer();
        using var client = new EtcdClient(new EtcdClientOptions
        {
            // The same failing server under two names: two endpoints, two breakers, and nowhere to fail over to.
            Endpoints = [server.Url, new Uri($"http://localhost:{server.Port}")],
            CircuitBreakDuration = TimeSpan.FromMinutes(5),
        });
        ClusterException? last = null;
        for (var i = 0; i < 10; i++)
        {
            last = (await FluentActions.Awaiting(() => client.Keys.GetAsync("/cb")).Should().ThrowAsync<ClusterException>()).Which;
        }

        last!.Message.Should().Contain("circuit is open");
        server.Accepted.Should().BeLessThanOrEqualTo(4, "each endpoint's circuit opens after two failures (20 connections without breakers)");
    }

    [Fact]
    public async Task A_refused_connection_fails_a_compare_and_swap_over_safely()
    {
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [new Uri($"http://127.0.0.1:{KvDirectory.Testing.FreePort.Next()}"), fixture.Server.ClientUrl],
        });
        var set = await client.Keys.SetAsync(_p + "/safe", "a");
        var swapped = await client.Keys.SetAsync(_p + "/safe", "b", new SetOptions { PrevIndex = set.Node!.ModifiedIndex });
        swapped.Action.Should().Be("compareAndSwap", "a refused connection never reached a server, so the next endpoint may take it");
    }

    [Fact]
    public async Task The_total_timeout_bounds_a_call_that_would_otherwise_retry_for_long()
    {
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [new Uri($"http://127.0.0.1:{KvDirectory.Testing.FreePort.Next()}")],
            MaxRetryAttempts = 1000,
            RetryBaseDelay = TimeSpan.FromMilliseconds(200),
            TotalTimeout = TimeSpan.FromSeconds(1),
        });
        var started = System.Diagnostics.Stopwatch.StartNew();
        var failure = await FluentActions.Awaiting(() => client.Keys.GetAsync("/k")).Should().ThrowAsync<ClusterException>();
        failure.Which.Message.Should().Contain("total timeout");
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "liveness bound only; the timeout is 1 s");
    }
}
