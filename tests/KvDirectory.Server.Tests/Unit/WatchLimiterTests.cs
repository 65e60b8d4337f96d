using KvDirectory.Protocol;
using KvDirectory.Server.Configuration;
using KvDirectory.Server.Keys;
using Microsoft.Extensions.Options;

namespace KvDirectory.Server.Tests.Unit;

public sealed class WatchLimiterTests
{
    [Fact]
    public void A_connection_gets_at_most_its_share_and_other_connections_are_not_affected()
    {
        var limiter = Limiter(total: 10, perConnection: 2);
        using var first = limiter.Acquire("c1");
        using var second = limiter.Acquire("c1");

        var third = () => limiter.Acquire("c1");

        third.Should().Throw<EtcdException>().Which.Cause.Should().Be("this connection already holds --max-watchers-per-connection (2) watches");
        using var other = limiter.Acquire("c2");
        limiter.Total.Should().Be(3);
    }

    [Fact]
    public void The_total_is_shared_by_every_connection_and_a_released_place_is_reusable_once()
    {
        var limiter = Limiter(total: 2, perConnection: 5);
        var a = limiter.Acquire("c1");
        using var b = limiter.Acquire("c2");

        var refused = () => limiter.Acquire("c3");

        refused.Should().Throw<EtcdException>().Which.HttpStatus.Should().Be(429);
        a.Dispose();
        a.Dispose();
        limiter.Total.Should().Be(1, "disposing twice gives the place back once");
        using var c = limiter.Acquire("c3");
        limiter.Total.Should().Be(2);
    }

    [Fact]
    public void Limits_that_cannot_work_are_refused_naming_the_flag()
    {
        var result = new RequestLimitOptionsValidator().Validate(null, new RequestLimitOptions { MaxWatchers = 0, MaxKeyBytes = 3 });

        result.Failed.Should().BeTrue();
        result.Failures.Should().Contain("--max-watchers must be at least 1").And.Contain("--max-key-bytes must be at least 16");
    }

    private static WatchLimiter Limiter(int total, int perConnection) =>
        new(Options.Create(new RequestLimitOptions { MaxWatchers = total, MaxWatchersPerConnection = perConnection }));
}
