using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KvDirectory.Testing.Faults;

namespace KvDirectory.Cluster.Tests.Faults;

/// <summary>
/// Three greeting echo servers stand in for nodes a, b and c; a link works when a connection through it
/// is greeted by the right node's name.
/// </summary>
public sealed class ProxyMeshTests : IAsyncLifetime
{
    private static readonly string[] Nodes = ["a", "b", "c"];
    private readonly Dictionary<string, EchoServer> _servers = Nodes.ToDictionary(name => name, name => new EchoServer(name));
    private ProxyMesh _mesh = null!;

    public Task InitializeAsync()
    {
        _mesh = ProxyMesh.Start(_servers.ToDictionary(pair => pair.Key, pair => pair.Value.Endpoint));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _mesh.DisposeAsync();
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public void There_is_one_link_per_ordered_pair_each_on_its_own_port()
    {
        _mesh.Links.Keys.Should().BeEquivalentTo(new[] { ("a", "b"), ("a", "c"), ("b", "a"), ("b", "c"), ("c", "a"), ("c", "b") });
        _mesh.Links.Values.Select(proxy => proxy.Endpoint.Port).Should().OnlyHaveUniqueItems();
        _mesh.Link("a", "b").Target.Should().Be(_servers["b"].Endpoint);
        _mesh.Link("b", "a").Target.Should().Be(_servers["a"].Endpoint);
    }

    [Theory]
    [InlineData("a", "b,c")]
    [InlineData("b", "a,c")]
    [InlineData("c", "a,b")]
    public void Dial_overrides_name_every_other_node_with_its_pair_proxy(string node, string others)
    {
        var expected = string.Join(',', others.Split(',').Select(to => $"{to}=127.0.0.1:{_mesh.Link(node, to).Endpoint.Port}"));

        _mesh.DialOverrides(node).Should().Be(expected);
    }

    [Fact]
    public async Task Every_override_address_reaches_the_node_it_names()
    {
        foreach (var node in Nodes)
        {
            foreach (var entry in _mesh.DialOverrides(node).Split(','))
            {
                var (name, address) = (entry[..entry.IndexOf('=')], entry[(entry.IndexOf('=') + 1)..]);
                (await GreetingAt(IPEndPoint.Parse(address))).Should().Be(name);
            }
        }
    }

    [Fact]
    public async Task Partition_cuts_exactly_the_links_between_the_groups()
    {
        _mesh.Partition(["a"], ["b", "c"]);

        (await WorkingLinks()).Should().BeEquivalentTo(["b->c", "c->b"]);
    }

    [Fact]
    public async Task Isolate_cuts_every_link_to_and_from_the_node()
    {
        _mesh.Isolate("b");

        (await WorkingLinks()).Should().BeEquivalentTo(["a->c", "c->a"]);
    }

    [Fact]
    public async Task CutOneWay_cuts_only_the_connections_the_first_node_opens()
    {
        _mesh.CutOneWay("a", "b");

        (await WorkingLinks()).Should().BeEquivalentTo(["a->c", "b->a", "b->c", "c->a", "c->b"]);
    }

    [Fact]
    public async Task A_blackhole_partition_stalls_the_links_between_the_groups_until_healed()
    {
        _mesh.Partition(["b"], ["c"], FaultMode.Blackhole);
        using var stalled = await Net.ConnectAsync(_mesh.Link("c", "b").Endpoint);
        var greeting = stalled.ReceiveTextAsync(1);

        (await greeting.StaysPendingAsync()).Should().BeTrue();
        (await GreetingAt(_mesh.Link("a", "b").Endpoint)).Should().Be("b", "only the partitioned pairs stall");
        _mesh.Link("b", "c").CutMode.Should().Be(FaultMode.Blackhole);

        _mesh.HealAll();
        (await greeting).Should().Be("b");
    }

    [Fact]
    public async Task HealAll_restores_every_link_and_removes_delays()
    {
        _mesh.Isolate("a");
        _mesh.Partition(["b"], ["c"], FaultMode.Blackhole);
        _mesh.DelayLink("b", "a", TimeSpan.FromMinutes(5));

        _mesh.HealAll();

        (await WorkingLinks()).Should().HaveCount(6);
        _mesh.Links.Values.Should().OnlyContain(proxy => proxy.Latency.IsNone && proxy.CutMode == null);
    }

    [Fact]
    public async Task DelayLink_slows_only_that_link()
    {
        var delay = TimeSpan.FromMilliseconds(200);
        _mesh.DelayLink("c", "a", delay, TimeSpan.FromMilliseconds(50), seed: 3);

        var clock = Stopwatch.StartNew();
        (await GreetingAt(_mesh.Link("c", "a").Endpoint)).Should().Be("a");
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(delay);
        _mesh.Link("c", "a").Latency.Should().Be(new Latency(delay, TimeSpan.FromMilliseconds(50), 3));
        _mesh.Links.Where(link => link.Key != ("c", "a")).Should().OnlyContain(link => link.Value.Latency.IsNone);
        (await WorkingLinks()).Should().HaveCount(6, "a delayed link still works");
    }

    [Fact]
    public void Unknown_nodes_and_overlapping_groups_are_rejected()
    {
        _mesh.Invoking(m => m.Isolate("z")).Should().Throw<ArgumentException>().WithMessage("*'z'*");
        _mesh.Invoking(m => m.Link("a", "a")).Should().Throw<ArgumentException>();
        _mesh.Invoking(m => m.Partition(["a", "b"], ["b", "c"])).Should().Throw<ArgumentException>().WithMessage("*overlap*");
        _mesh.Links.Values.Should().OnlyContain(proxy => proxy.CutMode == null, "a rejected partition cuts nothing");
    }

    [Fact]
    public void A_name_that_would_break_the_override_flag_is_rejected()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, 1);
        var start = () => ProxyMesh.Start(new Dictionary<string, IPEndPoint> { ["a=b"] = endpoint, ["c"] = endpoint });

        start.Should().Throw<ArgumentException>().WithMessage("*--peer-dial-override*");
    }

    /// <summary>The links ("from->to") through which the target's greeting arrives.</summary>
    private async Task<IReadOnlyList<string>> WorkingLinks()
    {
        var working = new List<string>();
        foreach (var ((from, to), proxy) in _mesh.Links)
        {
            var greeting = await GreetingAt(proxy.Endpoint);
            if (greeting is not null)
            {
                greeting.Should().Be(to, $"link {from}->{to} must lead to {to}");
                working.Add($"{from}->{to}");
            }
        }

        return working;
    }

    /// <summary>
    /// The greeting through <paramref name="endpoint"/>, or null when the link resets the connection (at
    /// connect or at the first read). Reset-mode cuts are prompt, so no quiet window is needed to call a link down.
    /// </summary>
    private static async Task<string?> GreetingAt(IPEndPoint endpoint)
    {
        try
        {
            using var socket = await Net.ConnectAsync(endpoint);
            return await socket.ReceiveTextAsync(1);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return null;
        }
    }
}
