using KvDirectory.Testing;

namespace KvDirectory.Cli.Tests;

/// <summary>
/// One server per test class (tests use unique key prefixes). Which server: KVDIR_CLI_SERVER=etcd|kvdirectory,
/// kvdirectory by default.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    public static string Kind => Environment.GetEnvironmentVariable("KVDIR_CLI_SERVER") is { Length: > 0 } kind ? kind : "kvdirectory";

    public ServerProcess Server => _server ?? throw new InvalidOperationException("server not started");

    public string Endpoint => Server.Endpoint;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(Kind);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
