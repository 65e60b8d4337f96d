namespace KvDirectory.Cluster.Tests.Tls;

/// <summary>One <see cref="ClientTlsServer"/> of each kind (etcd, kvdirectory), started together and shared by the tests of a class.</summary>
public sealed class ClientTlsServers : IAsyncLifetime
{
    private readonly Dictionary<string, ClientTlsServer> _servers = [];

    public ClientTlsServer this[string kind] => _servers[kind];

    public async Task InitializeAsync()
    {
        var starting = new[] { "etcd", "kvdirectory" }.ToDictionary(kind => kind, kind => ClientTlsServer.StartAsync(kind));
        try
        {
            await Task.WhenAll(starting.Values);
        }
        catch
        {
            // A start that failed cleaned up after itself; the one that succeeded must not outlive the class.
            foreach (var start in starting.Values.Where(t => t.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            throw;
        }

        foreach (var (kind, start) in starting)
        {
            _servers[kind] = start.Result;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync();
        }
    }
}
