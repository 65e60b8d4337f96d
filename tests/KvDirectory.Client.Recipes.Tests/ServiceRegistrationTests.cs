using KvDirectory.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KvDirectory.Client.Recipes.Tests;

/// <summary>ServiceRegistration: a host registers while it runs, discovery sees it, a watch sees it come and go.</summary>
public sealed class ServiceRegistrationTests : IAsyncLifetime
{
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
    public async Task A_host_is_registered_while_it_runs_and_watchers_see_it_come_and_go()
    {
        using var client = new EtcdClient(new EtcdClientOptions { Endpoints = [_server!.ClientUrl], RequestTimeout = TimeSpan.FromSeconds(10) });
        var registry = new ServiceRegistry(client);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var changes = registry.WatchAsync("orders", timeout.Token).GetAsyncEnumerator(timeout.Token);
        (await changes.MoveNextAsync()).Should().BeTrue();
        changes.Current.Should().BeEmpty();

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddKvDirectoryClient(o => { o.Endpoints = [_server.ClientUrl]; o.DiscoveryInterval = TimeSpan.Zero; o.RequestTimeout = TimeSpan.FromSeconds(10); });
        builder.Services.AddKvDirectoryServiceRegistration(o =>
        {
            o.Service = "orders";
            o.InstanceId = "orders-1";
            o.Address = "http://10.0.0.7:8080";
            o.Ttl = TimeSpan.FromSeconds(3);
        });
        using var host = builder.Build();
        await host.StartAsync(timeout.Token);

        (await changes.MoveNextAsync()).Should().BeTrue();
        changes.Current.Should().Equal(new ServiceInstance("orders-1", "http://10.0.0.7:8080"));
        (await registry.DiscoverAsync("orders")).Should().ContainSingle();

        // Heartbeats are refreshes: across several TTLs the watch sees nothing, and the instance stays.
        var quiet = changes.MoveNextAsync().AsTask();
        await Task.WhenAny(quiet, Task.Delay(TimeSpan.FromSeconds(7)));
        quiet.IsCompleted.Should().BeFalse("refresh=true heartbeats do not wake watchers");
        (await registry.DiscoverAsync("orders")).Should().ContainSingle("heartbeats kept it alive past its TTL");

        await host.StopAsync(timeout.Token);
        (await quiet).Should().BeTrue();
        changes.Current.Should().BeEmpty("stopping the host deregisters the instance");
    }
}
