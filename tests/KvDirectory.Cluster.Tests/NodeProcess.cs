using KvDirectory.Testing;
using KvDirectory.Testing.Processes;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// Our server as a child process on a data dir the test owns, restartable on it. Unlike the shared
/// harness it exposes the exit code and can be stopped with SIGTERM, which the shutdown and
/// refuse-to-start tests observe. Disposing kills the process (never the data dir: the test owns it).
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly LaunchedServer _process;

    private NodeProcess(LaunchedServer process, Uri clientUrl, string dataDir)
    {
        _process = process;
        ClientUrl = clientUrl;
        DataDir = dataDir;
    }

    public Uri ClientUrl { get; }

    public string DataDir { get; }

    public int ProcessId => _process.ProcessId;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>From process start until <c>/health</c> first answered 200.</summary>
    public TimeSpan TimeToHealthy { get; private set; }

    public string Output => _process.Output;

    /// <summary>True once the node printed a line containing <paramref name="text"/>; false at the deadline.</summary>
    public Task<bool> WaitForLineAsync(string text, TimeSpan timeout) => _process.WaitForLineAsync(text, timeout);

    /// <summary>Starts the server on <paramref name="dataDir"/> and waits until it is healthy.</summary>
    public static async Task<NodeProcess> StartAsync(TempDataDir dataDir, IEnumerable<string>? extraArguments = null, TimeSpan? timeout = null)
    {
        var node = Launch(dataDir, extraArguments);
        try
        {
            // A short interval keeps the restart measurement honest.
            await node._process.WaitUntilHealthyAsync(node.ClientUrl, timeout ?? TimeSpan.FromSeconds(60), pollInterval: TimeSpan.FromMilliseconds(10));
            node.TimeToHealthy = DateTime.UtcNow - node._process.StartTime;
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
        try
        {
            await node._process.WaitUntilHealthyAsync(node.ClientUrl, timeout);
        }
        catch (ServerExitedException)
        {
            return node; // the exit observed, with the whole output
        }
        catch (TimeoutException)
        {
            await node.DisposeAsync();
            throw new TimeoutException($"the node neither exited nor failed within {timeout}:\n{node.Output}");
        }

        var output = node.Output;
        await node.DisposeAsync();
        throw new InvalidOperationException("the node became healthy although it was expected to refuse to start:\n" + output);
    }

    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGTERM, as systemd or Kubernetes stop a service.</summary>
    public Task TerminateAsync()
    {
        if (!_process.HasExited)
        {
            _process.Signal(LaunchedServer.SigTerm);
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits for the process to exit by itself; false if it is still running at the deadline.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static NodeProcess Launch(TempDataDir dataDir, IEnumerable<string>? extraArguments)
    {
        var client = ServerLaunch.FreeLoopbackUrl();
        // The member id is derived from the peer URL, so a restart must keep it (nothing listens on it in a single-member cluster).
        var process = LaunchedServer.Start(new ServerLaunch
        {
            Kind = ServerLaunch.KvDirectory,
            Arguments = [.. ServerLaunch.SingleMemberFlags(dataDir.Path, client, dataDir.PeerUrl), .. extraArguments ?? []],
        });
        return new NodeProcess(process, new Uri(client), dataDir.Path);
    }
}
