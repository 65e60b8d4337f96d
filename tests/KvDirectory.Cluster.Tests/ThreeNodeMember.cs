using KvDirectory.Testing;
using KvDirectory.Testing.Processes;

namespace KvDirectory.Cluster.Tests;

/// <summary>One member of a <see cref="ThreeNodeCluster"/>: fixed name, ports and data dir; its process can be killed and started again.</summary>
public sealed class ThreeNodeMember
{
    private readonly ProcessOutput _output;
    private LaunchedServer? _process;

    public ThreeNodeMember(string name, string dataDir)
    {
        Name = name;
        DataDir = dataDir;
        ClientUrl = new Uri(ServerLaunch.FreeLoopbackUrl());
        PeerUrl = ServerLaunch.FreeLoopbackUrl();
        _output = new ProcessOutput($"[{name}] ");
    }

    public string Name { get; }

    public string DataDir { get; }

    public Uri ClientUrl { get; }

    public string PeerUrl { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Stopped with SIGSTOP and not yet continued: alive, but answers nothing (peers and clients time out).</summary>
    public bool IsPaused { get; private set; }

    /// <summary>Everything every run of this member printed (for failure messages).</summary>
    public string Output => _output.ToString();

    public void Start(string initialCluster, IReadOnlyList<string> extraArguments)
    {
        _process = LaunchedServer.Start(new ServerLaunch
        {
            Kind = ServerLaunch.KvDirectory,
            Arguments = [.. ServerLaunch.MemberFlags(Name, DataDir, ClientUrl.ToString().TrimEnd('/'), PeerUrl, initialCluster), .. extraArguments],
            Output = _output,
        });
    }

    /// <summary>SIGSTOP: the process freezes mid-flight (a GC pause or a stalled VM as its peers see it).</summary>
    public void Pause()
    {
        if (!IsRunning || IsPaused)
        {
            throw new InvalidOperationException($"{Name} is not running unpaused");
        }

        _process!.Signal(LaunchedServer.SigStop);
        IsPaused = true;
    }

    /// <summary>SIGCONT after <see cref="Pause"/>; a no-op when the member is not paused.</summary>
    public void Resume()
    {
        if (!IsPaused)
        {
            return;
        }

        if (IsRunning)
        {
            _process!.Signal(LaunchedServer.SigCont);
        }

        IsPaused = false;
    }

    /// <summary>SIGTERM, then waits for the process to exit by itself; returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!IsRunning || IsPaused)
        {
            throw new InvalidOperationException($"{Name} is not running unpaused");
        }

        _process!.Signal(LaunchedServer.SigTerm);
        if (!await _process.WaitForExitAsync(timeout))
        {
            throw new TimeoutException($"{Name} still runs {timeout} after SIGTERM");
        }

        var code = _process.ExitCode;
        await _process.DisposeAsync();
        _process = null;
        return code;
    }

    /// <summary>SIGKILL: nothing gets flushed or closed cleanly.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        // A stopped process dies on SIGKILL too, but continue it first so nothing is left stopped if the kill fails.
        Resume();
        await _process.DisposeAsync();
        _process = null;
    }
}
