using KvDirectory.Testing.Processes;

namespace KvDirectory.Testing;

/// <summary>
/// A server (real etcd or ours) running as a child process on free loopback ports with a temporary data dir.
/// Disposing kills the process tree and deletes the data dir, so no test leaves a process behind.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly LaunchedServer _process;
    private readonly bool _ownsDataDir;

    private ServerProcess(LaunchedServer process, Uri clientUrl, string dataDir, bool ownsDataDir)
    {
        _process = process;
        ClientUrl = clientUrl;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
    }

    /// <summary>"etcd" or "kvdirectory".</summary>
    public string Kind => _process.Kind;

    public Uri ClientUrl { get; }

    /// <summary>The client URL without a trailing slash, as etcdctl's --endpoints takes it.</summary>
    public string Endpoint => ClientUrl.ToString().TrimEnd('/');

    public string DataDir { get; }

    public int ProcessId => _process.ProcessId;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far (for failure messages).</summary>
    public string Output => _process.Output;

    /// <summary>Starts real etcd 3.4 with the v2 API enabled (as a single-member cluster).</summary>
    public static Task<ServerProcess> StartEtcdAsync(IEnumerable<string>? extraArguments = null, CancellationToken cancellationToken = default) =>
        StartAsync(ServerLaunch.Etcd, extraArguments, CreateTempDir("etcd"), ownsDataDir: true, cancellationToken);

    /// <summary>Starts our server from its built dll on free ports; <paramref name="dataDir"/> is reused when given (restart tests).</summary>
    public static Task<ServerProcess> StartKvDirectoryAsync(
        IEnumerable<string>? extraArguments = null,
        string? dataDir = null,
        CancellationToken cancellationToken = default) =>
        StartAsync(ServerLaunch.KvDirectory, extraArguments, dataDir ?? CreateTempDir("kvdirectory"), ownsDataDir: dataDir is null, cancellationToken);

    /// <summary>Starts whichever server the name says: "etcd" or "kvdirectory".</summary>
    public static Task<ServerProcess> StartAsync(string kind, CancellationToken cancellationToken = default) => kind switch
    {
        ServerLaunch.Etcd => StartEtcdAsync(cancellationToken: cancellationToken),
        ServerLaunch.KvDirectory => StartKvDirectoryAsync(cancellationToken: cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "expected etcd or kvdirectory"),
    };

    private static async Task<ServerProcess> StartAsync(
        string kind,
        IEnumerable<string>? extraArguments,
        string dataDir,
        bool ownsDataDir,
        CancellationToken cancellationToken)
    {
        var client = ServerLaunch.FreeLoopbackUrl();
        var launch = new ServerLaunch
        {
            Kind = kind,
            Arguments = [.. ServerLaunch.SingleMemberFlags(dataDir, client, ServerLaunch.FreeLoopbackUrl()), .. extraArguments ?? []],
        };
        var server = new ServerProcess(LaunchedServer.Start(launch), new Uri(client), dataDir, ownsDataDir);
        try
        {
            await server.WaitUntilHealthyAsync(StartTimeout, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Waits until <c>/health</c> answers 200 (readiness is only observable by asking).</summary>
    public Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _process.WaitUntilHealthyAsync(ClientUrl, timeout, cancellationToken: cancellationToken);

    /// <summary>SIGKILL: the process gets no chance to flush anything.</summary>
    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
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

    private static string CreateTempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
