using System.Diagnostics;
using System.Text;

namespace KvDirectory.Testing;

/// <summary>
/// A server (real etcd or ours) running as a child process on free loopback ports with a temporary data dir.
/// Disposing kills the process tree and deletes the data dir, so no test leaves a process behind.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly bool _ownsDataDir;

    private ServerProcess(Process process, string kind, Uri clientUrl, string dataDir, bool ownsDataDir)
    {
        _process = process;
        Kind = kind;
        ClientUrl = clientUrl;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
    }

    /// <summary>"etcd" or "kvdirectory".</summary>
    public string Kind { get; }

    public Uri ClientUrl { get; }

    /// <summary>The client URL without a trailing slash, as etcdctl's --endpoints takes it.</summary>
    public string Endpoint => ClientUrl.ToString().TrimEnd('/');

    public string DataDir { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts real etcd 3.4 with the v2 API enabled (as a single-member cluster).</summary>
    public static Task<ServerProcess> StartEtcdAsync(IEnumerable<string>? extraArguments = null, CancellationToken cancellationToken = default)
    {
        var clientPort = FreePort.Next();
        var peerPort = FreePort.Next();
        var dataDir = CreateTempDir("etcd");
        var client = $"http://127.0.0.1:{clientPort}";
        var peer = $"http://127.0.0.1:{peerPort}";
        var arguments = new List<string>
        {
            "--enable-v2=true",
            "--name", "default",
            "--data-dir", dataDir,
            "--listen-client-urls", client,
            "--advertise-client-urls", client,
            "--listen-peer-urls", peer,
            "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"default={peer}",
            "--log-level", "warn",
        };
        arguments.AddRange(extraArguments ?? []);
        var executable = File.Exists("/usr/bin/etcd") ? "/usr/bin/etcd" : "etcd";
        return StartAsync("etcd", executable, arguments, new Uri(client), dataDir, ownsDataDir: true, cancellationToken);
    }

    /// <summary>Starts our server from its built dll on free ports; <paramref name="dataDir"/> is reused when given (restart tests).</summary>
    public static Task<ServerProcess> StartKvDirectoryAsync(
        IEnumerable<string>? extraArguments = null,
        string? dataDir = null,
        CancellationToken cancellationToken = default)
    {
        var clientPort = FreePort.Next();
        var peerPort = FreePort.Next();
        var ownsDataDir = dataDir is null;
        dataDir ??= CreateTempDir("kvdirectory");
        var client = $"http://127.0.0.1:{clientPort}";
        var peer = $"http://127.0.0.1:{peerPort}";
        var arguments = new List<string>
        {
            RepositoryPaths.ServerDll,
            "--name", "default",
            "--data-dir", dataDir,
            "--listen-client-urls", client,
            "--advertise-client-urls", client,
            "--listen-peer-urls", peer,
            "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"default={peer}",
        };
        arguments.AddRange(extraArguments ?? []);
        return StartAsync("kvdirectory", "dotnet", arguments, new Uri(client), dataDir, ownsDataDir, cancellationToken);
    }

    /// <summary>Starts whichever server the name says: "etcd" or "kvdirectory".</summary>
    public static Task<ServerProcess> StartAsync(string kind, CancellationToken cancellationToken = default) => kind switch
    {
        "etcd" => StartEtcdAsync(cancellationToken: cancellationToken),
        "kvdirectory" => StartKvDirectoryAsync(cancellationToken: cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "expected etcd or kvdirectory"),
    };

    private static async Task<ServerProcess> StartAsync(
        string kind,
        string executable,
        IEnumerable<string> arguments,
        Uri clientUrl,
        string dataDir,
        bool ownsDataDir,
        CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        var server = new ServerProcess(process, kind, clientUrl, dataDir, ownsDataDir);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Waits until <c>/health</c> answers 200 (readiness is only observable by asking).</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Kind} exited with {_process.ExitCode} before it was healthy:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(ClientUrl, "/health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Kind} was not healthy after {timeout}:\n{Output}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to flush anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        if (_ownsDataDir)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string CreateTempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
