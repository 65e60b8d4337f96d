using System.Diagnostics;
using System.Text;
using KvDirectory.Testing;

namespace KvDirectory.Benchmarks.Cluster;

/// <summary>
/// One member of a three-member cluster of either server, on free loopback ports with a data dir under the cluster's
/// temp dir. Both servers get the same flags (etcd's names), plus what only etcd needs (v2 enabled, cluster token).
/// </summary>
public sealed class BenchmarkMember : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private BenchmarkMember(string kind, string name, Uri clientUrl, Process process)
    {
        Kind = kind;
        Name = name;
        ClientUrl = clientUrl;
        _process = process;
    }

    /// <summary>"etcd" or "kvdirectory".</summary>
    public string Kind { get; }

    public string Name { get; }

    public Uri ClientUrl { get; }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    /// <summary>The last lines the process printed (for failure messages).</summary>
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

    /// <summary>Picks the two ports a member listens on; they must be known for every member before any starts.</summary>
    public static (Uri Client, string Peer) AllocateUrls() =>
        (new Uri($"http://127.0.0.1:{FreePort.Next()}"), $"http://127.0.0.1:{FreePort.Next()}");

    /// <param name="environment">Extra environment variables (e.g. DOTNET_ runtime settings a variant of our server is measured with).</param>
    /// <param name="serverDll">Our server's dll when not the built one (e.g. a ReadyToRun publish).</param>
    public static BenchmarkMember Start(
        string kind, string name, Uri clientUrl, string peerUrl, string initialCluster, string dataDir, ClusterTimings timings,
        IReadOnlyDictionary<string, string>? environment = null, string? serverDll = null)
    {
        var client = clientUrl.ToString().TrimEnd('/');
        var common = new List<string>
        {
            "--name", name,
            "--data-dir", dataDir,
            "--listen-client-urls", client,
            "--advertise-client-urls", client,
            "--listen-peer-urls", peerUrl,
            "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", initialCluster,
            "--heartbeat-interval", timings.HeartbeatMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--election-timeout", timings.ElectionMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var (executable, arguments) = kind switch
        {
            "etcd" => (File.Exists("/usr/bin/etcd") ? "/usr/bin/etcd" : "etcd", (List<string>)
            [
                "--enable-v2=true",
                "--initial-cluster-token", "kvdirectory-benchmark",
                "--initial-cluster-state", "new",
                "--log-level", "warn",
                .. common,
            ]),
            "kvdirectory" => ("dotnet", (List<string>)[serverDll ?? RepositoryPaths.ServerDll, .. common]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "expected etcd or kvdirectory"),
        };

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

        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[variable] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        ChildProcessReaper.Track(process);
        var member = new BenchmarkMember(kind, name, clientUrl, process);
        process.OutputDataReceived += (_, e) => member.Append(e.Data);
        process.ErrorDataReceived += (_, e) => member.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return member;
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

        ChildProcessReaper.Forget(_process);
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
            // A benchmark prints a lot of nothing; keep the tail for an error message, not the whole run.
            if (_output.Length > 64 * 1024)
            {
                _output.Remove(0, _output.Length - 32 * 1024);
            }

            _output.AppendLine(line);
        }
    }
}
