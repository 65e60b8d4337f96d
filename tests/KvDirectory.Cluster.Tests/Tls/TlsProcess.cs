using System.Diagnostics;
using System.Text;

namespace KvDirectory.Cluster.Tests.Tls;

/// <summary>
/// etcd or our server as a child process whose ports may be TLS: readiness is asked over the given HTTP client (with
/// its client certificate). Disposing kills the process; the caller owns the data dir.
/// </summary>
public sealed class TlsProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private TlsProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

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

    /// <summary>"etcd" runs real etcd 3.4 with the v2 API; "kvdirectory" our built server.</summary>
    public static TlsProcess Launch(string kind, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = kind == "etcd"
            ? new ProcessStartInfo(File.Exists("/usr/bin/etcd") ? "/usr/bin/etcd" : "etcd")
            : new ProcessStartInfo("dotnet");
        if (kind == "etcd")
        {
            info.ArgumentList.Add("--enable-v2=true");
            info.ArgumentList.Add("--log-level=warn");
        }
        else
        {
            info.ArgumentList.Add(KvDirectory.Testing.RepositoryPaths.ServerDll);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {kind}");
        var started = new TlsProcess(process);
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits until <c>/health</c> answers 200 through <paramref name="http"/> (readiness is only observable by asking).</summary>
    public async Task WaitUntilHealthyAsync(HttpClient http, Uri clientUrl, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {_process.ExitCode} before it was healthy:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(clientUrl, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the server was not healthy after {timeout}:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>For a server expected to refuse to start: true once it exited by itself within the timeout.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout)
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
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
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
