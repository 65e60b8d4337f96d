using System.Diagnostics;
using System.Text;
using KvDirectory.Testing;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// Our server as a child process on a data dir the test owns, restartable on it. Unlike the shared
/// harness it exposes the exit code and can be stopped with SIGTERM, which the shutdown and
/// refuse-to-start tests observe. Disposing kills the process (never the data dir: the test owns it).
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeProcess(Process process, Uri clientUrl, string dataDir)
    {
        _process = process;
        ClientUrl = clientUrl;
        DataDir = dataDir;
    }

    public Uri ClientUrl { get; }

    public string DataDir { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>From process start until <c>/health</c> first answered 200.</summary>
    public TimeSpan TimeToHealthy { get; private set; }

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

    /// <summary>Starts the server on <paramref name="dataDir"/> and waits until it is healthy.</summary>
    public static async Task<NodeProcess> StartAsync(TempDataDir dataDir, IEnumerable<string>? extraArguments = null, TimeSpan? timeout = null)
    {
        var node = Launch(dataDir, extraArguments);
        try
        {
            await node.WaitUntilHealthyAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>Starts the server where it is expected to refuse to start; returns once it exited (or throws if it became healthy).</summary>
    public static async Task<NodeProcess> StartExpectingExitAsync(TempDataDir dataDir, TimeSpan timeout)
    {
        var node = Launch(dataDir, null);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (!node.HasExited)
        {
            if (DateTime.UtcNow > deadline)
            {
                await node.DisposeAsync();
                throw new TimeoutException($"the node neither exited nor failed within {timeout}:\n{node.Output}");
            }

            if (await node.IsHealthyAsync(http))
            {
                var output = node.Output;
                await node.DisposeAsync();
                throw new InvalidOperationException("the node became healthy although it was expected to refuse to start:\n" + output);
            }

            await Task.Delay(50);
        }

        // Exit observed; drain the redirected streams so Output is complete.
        await node._process.WaitForExitAsync();
        return node;
    }

    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as systemd or Kubernetes stop a service.</summary>
    public async Task TerminateAsync()
    {
        var result = await CommandRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (result.ExitCode != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException("kill -TERM failed: " + result);
        }
    }

    /// <summary>Waits for the process to exit by itself; false if it is still running at the deadline.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
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
    }

    private static NodeProcess Launch(TempDataDir dataDir, IEnumerable<string>? extraArguments)
    {
        var client = $"http://127.0.0.1:{FreePort.Next()}";
        // The member id is derived from the peer URL, so a restart must keep it (nothing listens on it in a single-member cluster).
        var peer = dataDir.PeerUrl;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     RepositoryPaths.ServerDll,
                     "--name", "default",
                     "--data-dir", dataDir.Path,
                     "--listen-client-urls", client,
                     "--advertise-client-urls", client,
                     "--listen-peer-urls", peer,
                     "--initial-advertise-peer-urls", peer,
                     "--initial-cluster", $"default={peer}",
                 }.Concat(extraArguments ?? []))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var node = new NodeProcess(process, new Uri(client), dataDir.Path);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var started = _process.StartTime.ToUniversalTime();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the node exited with {_process.ExitCode} before it was healthy:\n{Output}");
            }

            if (await IsHealthyAsync(http))
            {
                TimeToHealthy = DateTime.UtcNow - started;
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the node was not healthy after {timeout}:\n{Output}");
            }

            // Polling is the only way to observe readiness; a short interval keeps the restart measurement honest.
            await Task.Delay(10);
        }
    }

    private async Task<bool> IsHealthyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(ClientUrl, "/health"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
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
}
