using KvDirectory.Testing;

namespace KvDirectory.Client.Tests;

/// <summary>One live KvDirectory server shared by a test class; every test works under its own key prefix.</summary>
public sealed class SingleNodeFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("server not started");

    public EtcdClient NewClient(EtcdClientOptions? options = null) =>
        new((options ?? new EtcdClientOptions { Endpoints = [] }) with { Endpoints = [Server.ClientUrl] });

    /// <summary>A short event history, so tests can push an index out of it (error 401) with a hundred writes.</summary>
    public const int EventHistory = 100;

    public async Task InitializeAsync() => _server = await ServerProcess.StartKvDirectoryAsync(["--event-history", EventHistory.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string UniquePrefix() => "/t" + Guid.NewGuid().ToString("N")[..12];
}
