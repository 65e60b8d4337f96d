using System.Diagnostics;

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
    private Process? _process;

    public string Endpoint => $"http://127.0.0.1:{_clientPort}";

    public async Task StartAsync()
    {
        var peer = $"http://127.0.0.1:{_peerPort}";
        var common = (string[])[
            "--name", "default", "--data-dir", _dataDir,
            "--listen-client-urls", Endpoint, "--advertise-client-urls", Endpoint,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"default={peer}"];
        var (executable, arguments) = kind == "etcd"
            ? ("/usr/bin/etcd", (string[])["--enable-v2=true", "--log-level", "error", .. common])
            : ("dotnet", (string[])[KvDirectory.Testing.RepositoryPaths.ServerDll, .. common]);
        var info = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException($"{kind} did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(Endpoint + "/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new InvalidOperationException($"{kind} did not become healthy");
            }

            await Task.Delay(50);
        }
    }

    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
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
