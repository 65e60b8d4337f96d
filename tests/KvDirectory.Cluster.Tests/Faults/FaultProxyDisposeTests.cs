using System.Net.Sockets;
using KvDirectory.Testing.Faults;

namespace KvDirectory.Cluster.Tests.Faults;

public sealed class FaultProxyDisposeTests
{
    [Fact]
    public async Task After_dispose_nothing_listens_on_the_proxy_port()
    {
        await using var echo = new EchoServer();
        var proxy = FaultProxy.Start(echo.Endpoint);
        using (var client = await Net.ConnectAsync(proxy.Endpoint))
        {
            (await client.EchoAsync("up")).Should().Be("up");
        }

        await proxy.DisposeAsync();

        var connect = () => Net.ConnectAsync(proxy.Endpoint);
        (await connect.Should().ThrowAsync<SocketException>()).Which.SocketErrorCode.Should().Be(SocketError.ConnectionRefused);
    }

    [Fact]
    public async Task Dispose_ends_live_held_and_delayed_connections_and_waits_for_their_pumps()
    {
        await using var echo = new EchoServer();
        var proxy = FaultProxy.Start(echo.Endpoint);
        using var live = await Net.ConnectAsync(proxy.Endpoint);
        (await live.EchoAsync("live")).Should().Be("live");
        proxy.Delay(TimeSpan.FromMinutes(5));
        await live.SendAsync("stuck in a delay");
        proxy.Cut(FaultMode.Blackhole);
        using var held = await Net.ConnectAsync(proxy.Endpoint);
        var liveReceive = live.ReceiveAsync(new byte[1], SocketFlags.None);
        var heldReceive = held.ReceiveAsync(new byte[1], SocketFlags.None);

        await proxy.DisposeAsync().AsTask().WaitAsync(Net.Patience);

        proxy.ActiveConnections.Should().Be(0, "every pump finished before DisposeAsync returned");
        (await liveReceive.ReceiveErrorAsync()).Should().Be(SocketError.ConnectionReset);
        (await heldReceive.ReceiveErrorAsync()).Should().Be(SocketError.ConnectionReset);
    }

    [Fact]
    public async Task Dispose_twice_is_harmless_and_controls_after_dispose_throw()
    {
        using var target = new RawServer();
        var proxy = FaultProxy.Start(target.Endpoint);

        await proxy.DisposeAsync();
        await proxy.DisposeAsync();

        proxy.Invoking(p => p.Cut()).Should().Throw<ObjectDisposedException>();
    }
}
