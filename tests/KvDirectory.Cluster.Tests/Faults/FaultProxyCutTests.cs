using System.Net.Sockets;
using KvDirectory.Testing.Faults;

namespace KvDirectory.Cluster.Tests.Faults;

public sealed class FaultProxyCutTests
{
    [Fact]
    public async Task Cut_resets_live_connections_at_both_ends()
    {
        using var target = new RawServer();
        await using var proxy = FaultProxy.Start(target.Endpoint);
        using var client = await Net.ConnectAsync(proxy.Endpoint);
        using var server = await target.AcceptAsync().WaitAsync(Net.Patience);
        await client.SendAsync("x");
        (await server.ReceiveTextAsync(1)).Should().Be("x");
        var clientReceive = client.ReceiveAsync(new byte[1], SocketFlags.None);
        var serverReceive = server.ReceiveAsync(new byte[1], SocketFlags.None);

        proxy.Cut();

        (await clientReceive.ReceiveErrorAsync()).Should().Be(SocketError.ConnectionReset);
        (await serverReceive.ReceiveErrorAsync()).Should().Be(SocketError.ConnectionReset);
        proxy.ConnectionsReset.Should().Be(1);
        proxy.CutMode.Should().Be(FaultMode.Reset);
    }

    [Fact]
    public async Task While_cut_new_connections_are_accepted_then_reset_and_never_reach_the_target()
    {
        using var target = new RawServer();
        await using var proxy = FaultProxy.Start(target.Endpoint);
        proxy.Cut();

        (await Net.ConnectAndReceiveErrorAsync(proxy.Endpoint)).Should().Be(SocketError.ConnectionReset);

        proxy.ConnectionsAccepted.Should().Be(1);
        proxy.ConnectionsReset.Should().Be(1);
        (await target.AcceptAsync().StaysPendingAsync()).Should().BeTrue("a reset connection is never carried to the target");
    }

    [Fact]
    public async Task Heal_restores_traffic_for_new_connections()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Endpoint);
        proxy.Cut();
        (await Net.ConnectAndReceiveErrorAsync(proxy.Endpoint)).Should().Be(SocketError.ConnectionReset);

        proxy.Heal();

        using var client = await Net.ConnectAsync(proxy.Endpoint);
        (await client.EchoAsync("back")).Should().Be("back");
        proxy.CutMode.Should().BeNull();
    }

    [Fact]
    public async Task Blackhole_keeps_connections_open_but_nothing_arrives_until_heal()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Endpoint);
        using var client = await Net.ConnectAsync(proxy.Endpoint);
        (await client.EchoAsync("before")).Should().Be("before");

        proxy.Cut(FaultMode.Blackhole);
        await client.SendAsync("during");
        var reply = client.ReceiveTextAsync(6);

        (await reply.StaysPendingAsync()).Should().BeTrue();
        proxy.BytesUpstream.Should().Be(6, "only the bytes sent before the cut crossed");
        proxy.ConnectionsReset.Should().Be(0);

        proxy.Heal();

        (await reply).Should().Be("during", "held bytes are delivered in order, as TCP retransmission would");
    }

    [Fact]
    public async Task Blackhole_holds_new_connections_away_from_the_target_until_heal()
    {
        using var target = new RawServer();
        await using var proxy = FaultProxy.Start(target.Endpoint);
        proxy.Cut(FaultMode.Blackhole);
        using var client = await Net.ConnectAsync(proxy.Endpoint);
        await client.SendAsync("hi");
        var accepted = target.AcceptAsync();

        (await accepted.StaysPendingAsync()).Should().BeTrue();

        proxy.Heal();
        using var server = await accepted.WaitAsync(Net.Patience);
        (await server.ReceiveTextAsync(2)).Should().Be("hi");
    }

    [Fact]
    public async Task A_reset_cut_over_a_blackhole_resets_the_held_connections()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Endpoint);
        using var client = await Net.ConnectAsync(proxy.Endpoint);
        (await client.EchoAsync("a")).Should().Be("a");
        proxy.Cut(FaultMode.Blackhole);
        var receive = client.ReceiveAsync(new byte[1], SocketFlags.None);

        proxy.Cut(FaultMode.Reset);

        (await receive.ReceiveErrorAsync()).Should().Be(SocketError.ConnectionReset);
    }
}
