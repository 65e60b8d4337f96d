using KvDirectory.Server.Cluster;

namespace KvDirectory.Server.Tests.Unit;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Delays_double_up_to_the_maximum_and_stay_there()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300));

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalMilliseconds).ToArray();

        delays.Should().Equal(50, 100, 200, 300, 300, 300);
    }

    [Fact]
    public void A_successful_connection_resets_the_delay_to_the_initial_one()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2));
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        backoff.Next().Should().Be(TimeSpan.FromMilliseconds(50));
    }
}
