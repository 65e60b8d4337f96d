using System.Net;
using System.Net.Sockets;
using KvDirectory.Testing.Faults;

namespace KvDirectory.Cluster.Tests.Faults;

public sealed class FaultProxyForwardingTests
{
    [Fact]
    public async Task Bytes_cross_both_ways_and_are_counted()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Endpoint);
        using var client = await Net.ConnectAsync(proxy.Endpoint);

        (await client.EchoAsync("hello through the proxy")).Should().Be("hello through the proxy");

        proxy.BytesUpstream.Should().Be(23);
        proxy.BytesDownstream.Should().Be(23);
        proxy.ConnectionsAccepted.Should().Be(1);
        proxy.ActiveConnections.Should().Be(1);
        proxy.Endpoint.Address.Should().Be(IPAddress.Loopback);
        proxy.Endpoint.Port.Should().NotBe(echo.Endpoint.Port);
    }

    [Fact]
    public async Task A_megabyte_each_way_arrives_intact_and_in_order()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Endpoint);
        using var client = await Net.ConnectAsync(proxy.Endpoint);
        var payload = new byte[1 << 20];
        new Random(42).NextBytes(payload);

        var receiving = client.ReceiveExactlyAsync(payload.Length);
        await client.SendAsync(payload, SocketFlags.None).WaitAsync(Net.Patience);
        var echoed = await receiving.WaitAsync(Net.Patience);

        echoed.Should().Equal(payload);
        proxy.BytesUpstream.Should().Be(payload.Length);
        proxy.BytesDownstream.Should().Be(payload.Length);
    }

    [Fact]
    public async Task Each_accepted_connection_gets_its_own_upstream_connection()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Endpoint);
        using var first = await Net.ConnectAsync(proxy.Endpoint);
        using var second = await Net.ConnectAsync(proxy.Endpoint);

        (await second.EchoAsync("two")).Should().Be("two");
        (await first.EchoAsync("one")).Should().Be("one");

        proxy.ConnectionsAccepted.Should().Be(2);
    }

    [Fact]
    public async Task A_half_close_is_carried_through_and_the_other_way_keeps_flowing()
    {
        using var target = new RawServer();
        await using var proxy = FaultProxy.Start(target.Endpoint);
        using var client = await Net.ConnectAsync(proxy.Endpoint);
        using var server = await target.AcceptAsync().WaitAsync(Net.Patience);

        client.Shutdown(SocketShutdown.Send);
        (await server.ReceiveErrorAsync()).Should().Be(SocketError.Success, "the target reads end of stream, not an error");
        await server.SendAsync("still talking");

        (await client.ReceiveTextAsync(13)).Should().Be("still talking");
    }

    [Fact]
    public async Task A_target_that_is_down_resets_the_dialer()
    {
        var deadTarget = new IPEndPoint(IPAddress.Loopback, KvDirectory.Testing.FreePort.Next());
        await using var proxy = FaultProxy.Start(deadTarget);

        (await Net.ConnectAndReceiveErrorAsync(proxy.Endpoint)).Should().Be(SocketError.ConnectionReset);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("0.0.0.0")]
    public void Only_loopback_targets_are_accepted(string address)
    {
        var start = () => FaultProxy.Start(new IPEndPoint(IPAddress.Parse(address), 2380));

        start.Should().Throw<ArgumentException>().WithMessage("*loopback*");
    }
}
