using System.Diagnostics;
using System.Net.Sockets;
using KvDirectory.Testing.Faults;

namespace KvDirectory.Cluster.Tests.Faults;

public sealed class FaultProxyDelayTests
{
    private static readonly TimeSpan OneWay = TimeSpan.FromMilliseconds(150);

    [Fact]
    public async Task A_round_trip_pays_the_delay_in_each_direction()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Endpoint);
        using var client = await Net.ConnectAsync(proxy.Endpoint);
        proxy.Delay(OneWay);

        var clock = Stopwatch.StartNew();
        (await client.EchoAsync("slow")).Should().Be("slow");

        clock.Elapsed.Should().BeGreaterThanOrEqualTo(OneWay * 2);
    }

    [Fact]
    public async Task Removing_the_delay_makes_the_link_fast_again()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Endpoint);
        using var client = await Net.ConnectAsync(proxy.Endpoint);
        proxy.Delay(TimeSpan.FromSeconds(30));

        proxy.Delay(TimeSpan.Zero);

        (await client.EchoAsync("quick")).Should().Be("quick", "a 30 s delay still in force would exceed the test's patience");
        proxy.Latency.IsNone.Should().BeTrue();
    }

    [Fact]
    public async Task Jitter_never_reorders_bytes()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Endpoint);
        using var client = await Net.ConnectAsync(proxy.Endpoint);
        proxy.Delay(TimeSpan.FromMilliseconds(1), jitter: TimeSpan.FromMilliseconds(20), seed: 7);
        var expected = new List<byte>();
        var receiving = client.ReceiveExactlyAsync(200 * 4);

        for (var i = 0; i < 200; i++)
        {
            var message = BitConverter.GetBytes(i);
            expected.AddRange(message);
            await client.SendAsync(message, SocketFlags.None).WaitAsync(Net.Patience);
        }

        (await receiving.WaitAsync(Net.Patience)).Should().Equal(expected);
        proxy.Latency.Should().Be(new Latency(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20), 7));
    }

    [Fact]
    public async Task A_negative_delay_is_rejected()
    {
        using var target = new RawServer();
        await using var proxy = FaultProxy.Start(target.Endpoint);

        var act = () => proxy.Delay(TimeSpan.FromMilliseconds(-1));

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
