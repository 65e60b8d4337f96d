using KvDirectory.Testing;
using KvDirectory.Testing.Processes;

namespace KvDirectory.Benchmarks.Cluster;

/// <summary>
/// One member of a three-member cluster of either server, on free loopback ports with a data dir under the cluster's
/// temp dir. Both servers get the same flags (etcd's names), plus what only etcd needs (v2 enabled, cluster token).
/// </summary>
public sealed class BenchmarkMember : IAsyncDisposable
{
    private readonly LaunchedServer _process;

    private BenchmarkMember(string name, Uri clientUrl, LaunchedServer process)
    {
        Name = name;
        ClientUrl = clientUrl;
        _process = process;
    }

    /// <summary>"etcd" or "kvdirectory".</summary>
    public string Kind => _process.Kind;

    public string Name { get; }

    public Uri ClientUrl { get; }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.ProcessId;

    /// <summary>The last lines the process printed (for failure messages).</summary>
    public string Output => _process.Output;

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
        var process = LaunchedServer.Start(new ServerLaunch
        {
            Kind = kind,
            Arguments =
            [
                .. kind == ServerLaunch.Etcd ? ["--initial-cluster-token", "kvdirectory-benchmark", "--initial-cluster-state", "new"] : Array.Empty<string>(),
                .. ServerLaunch.MemberFlags(name, dataDir, client, peerUrl, initialCluster),
                "--heartbeat-interval", timings.HeartbeatMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--election-timeout", timings.ElectionMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ],
            Environment = environment ?? new Dictionary<string, string>(),
            ShippedJit = true,
            ServerDll = serverDll,
            // A benchmark prints a lot of nothing; keep the tail for an error message, not the whole run.
            Output = new ProcessOutput(limit: 64 * 1024),
        });
        ChildProcessReaper.Track(process);
        return new BenchmarkMember(name, clientUrl, process);
    }

    /// <summary>Until <c>/health</c> answers 200; <see cref="ServerExitedException"/> if the process exits first.</summary>
    public Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _process.WaitUntilHealthyAsync(ClientUrl, timeout, pollInterval: TimeSpan.FromMilliseconds(20), cancellationToken: cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        ChildProcessReaper.Forget(_process);
    }
}
