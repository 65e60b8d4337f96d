using KvDirectory.Testing.Faults;

namespace KvDirectory.Cluster.Tests.Faults;

public sealed class FaultProxyDirectionTests
{
    [Fact]
    public async Task Cutting_upstream_stops_dialer_to_target_bytes_while_target_to_dialer_still_flows()
    {
        using var target = new RawServer();
        await using var proxy = FaultProxy.Start(target.Endpoint);
        using var client = await Net.ConnectAsync(proxy.Endpoint);
        using var server = await target.AcceptAsync().WaitAsync(Net.Patience);

        proxy.CutDirection(Direction.Upstream);
        await client.SendAsync("lost?");
        var atServer = server.ReceiveTextAsync(5);
        await server.SendAsync("flows");

        (await client.ReceiveTextAsync(5)).Should().Be("flows");
        (await atServer.StaysPendingAsync()).Should().BeTrue();
        proxy.IsCut(Direction.Upstream).Should().BeTrue();
        proxy.IsCut(Direction.Downstream).Should().BeFalse();
        proxy.BytesUpstream.Should().Be(0);

        proxy.Heal();
        (await atServer).Should().Be("lost?");
    }

    [Fact]
    public async Task Cutting_downstream_stops_target_to_dialer_bytes_while_dialer_to_target_still_flows()
    {
        using var target = new RawServer();
        await using var proxy = FaultProxy.Start(target.Endpoint);
        using var client = await Net.ConnectAsync(proxy.Endpoint);
        using var server = await target.AcceptAsync().WaitAsync(Net.Patience);

        proxy.CutDirection(Direction.Downstream);
        await server.SendAsync("lost?");
        var atClient = client.ReceiveTextAsync(5);
        await client.SendAsync("flows");

        (await server.ReceiveTextAsync(5)).Should().Be("flows");
        (await atClient.StaysPendingAsync()).Should().BeTrue();
        proxy.BytesDownstream.Should().Be(0);
        proxy.ConnectionsReset.Should().Be(0, "a one-way cut never resets: a reset would end both directions");

        proxy.Heal();
        (await atClient).Should().Be("lost?");
    }
}
