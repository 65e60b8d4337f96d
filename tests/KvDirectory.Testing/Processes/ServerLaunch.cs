using System.Globalization;

namespace KvDirectory.Testing.Processes;

/// <summary>
/// What <see cref="LaunchedServer.Start"/> runs: real etcd 3.4 (with the v2 API on and its log at warn) or our built
/// server, with these flags and environment variables.
/// </summary>
public sealed record ServerLaunch
{
    public const string Etcd = "etcd";

    public const string KvDirectory = "kvdirectory";

    /// <summary><see cref="Etcd"/> or <see cref="KvDirectory"/>.</summary>
    public required string Kind { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Runs our server with the JIT settings it ships with (no quick JIT: every method of ours compiled fully on first
    /// use). Tests leave it false and get quick JIT, which behaves the same and starts with ~0.5 CPU s less — the
    /// suite starts hundreds of servers on two cores; benchmarks set it, as they measure the server as shipped.
    /// </summary>
    public bool ShippedJit { get; init; }

    /// <summary>Our server's dll when not the built one (e.g. a ReadyToRun publish).</summary>
    public string? ServerDll { get; init; }

    /// <summary>The process's working directory; the test's own when not given.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Where the output goes; shared across restarts of one member. A fresh one when not given.</summary>
    public ProcessOutput? Output { get; init; }

    /// <summary>The flags every member takes, named as etcd names them: identity, data dir, URLs and the initial cluster.</summary>
    public static IReadOnlyList<string> MemberFlags(string name, string dataDir, string clientUrl, string peerUrl, string initialCluster) =>
    [
        "--name", name,
        "--data-dir", dataDir,
        "--listen-client-urls", clientUrl,
        "--advertise-client-urls", clientUrl,
        "--listen-peer-urls", peerUrl,
        "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", initialCluster,
    ];

    /// <summary>A single-member cluster named "default" at these URLs (no trailing slash on the client URL).</summary>
    public static IReadOnlyList<string> SingleMemberFlags(string dataDir, string clientUrl, string peerUrl) =>
        MemberFlags("default", dataDir, clientUrl, peerUrl, $"default={peerUrl}");

    /// <summary>"http://127.0.0.1:port" on a port free right now.</summary>
    public static string FreeLoopbackUrl() => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePort.Next()}");

    internal (string Executable, IReadOnlyList<string> Arguments) CommandLine() => Kind switch
    {
        Etcd => (File.Exists("/usr/bin/etcd") ? "/usr/bin/etcd" : "etcd", ["--enable-v2=true", "--log-level", "warn", .. Arguments]),
        KvDirectory => ("dotnet", [ServerDll ?? RepositoryPaths.ServerDll, .. Arguments]),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, $"expected {Etcd} or {KvDirectory}"),
    };
}
