using KvDirectory.Testing.Processes;

namespace KvDirectory.Cli.Tests;

/// <summary>
/// A server (etcd or ours) on fixed ports and data dir that can be SIGKILLed and started again on the same ones
/// (the shared harness picks new ports on every start).
/// </summary>
public sealed class RestartableServer(string kind) : IAsyncDisposable
{
    private readonly int _clientPort = KvDirectory.Testing.FreePort.Next();
    private readonly int _peerPort = KvDirectory.Testing.FreePort.Next();
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"{kind}-restart-{Guid.NewGuid():N}");
    private LaunchedServer? _process;

    public string Endpoint => $"http://127.0.0.1:{_clientPort}";

    public async Task StartAsync()
    {
        var peer = $"http://127.0.0.1:{_peerPort}";
        _process = LaunchedServer.Start(new ServerLaunch { Kind = kind, Arguments = ServerLaunch.SingleMemberFlags(_dataDir, Endpoint, peer) });
        await _process.WaitUntilHealthyAsync(new Uri(Endpoint), TimeSpan.FromSeconds(30));
    }

    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
