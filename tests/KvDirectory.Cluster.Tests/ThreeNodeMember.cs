using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using KvDirectory.Testing;

namespace KvDirectory.Cluster.Tests;

/// <summary>One member of a <see cref="ThreeNodeCluster"/>: fixed name, ports and data dir; its process can be killed and started again.</summary>
public sealed class ThreeNodeMember
{
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private readonly StringBuilder _output = new();
    private Process? _process;

    public ThreeNodeMember(string name, string dataDir)
    {
        Name = name;
        DataDir = dataDir;
        ClientUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        PeerUrl = $"http://127.0.0.1:{FreePort.Next()}";
    }

    public string Name { get; }

    public string DataDir { get; }

    public Uri ClientUrl { get; }

    public string PeerUrl { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Stopped with SIGSTOP and not yet continued: alive, but answers nothing (peers and clients time out).</summary>
    public bool IsPaused { get; private set; }

    /// <summary>Everything every run of this member printed (for failure messages).</summary>
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

    public void Start(string initialCluster, IReadOnlyList<string> extraArguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            RepositoryPaths.ServerDll,
            "--name", Name,
            "--data-dir", DataDir,
            "--listen-client-urls", ClientUrl.ToString().TrimEnd('/'),
            "--advertise-client-urls", ClientUrl.ToString().TrimEnd('/'),
            "--listen-peer-urls", PeerUrl,
            "--initial-advertise-peer-urls", PeerUrl,
            "--initial-cluster", initialCluster,
            .. extraArguments,
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>SIGSTOP: the process freezes mid-flight (a GC pause or a stalled VM as its peers see it).</summary>
    public void Pause()
    {
        if (!IsRunning || IsPaused)
        {
            throw new InvalidOperationException($"{Name} is not running unpaused");
        }

        Signal(SigStop);
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
            Signal(SigCont);
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

        Signal(SigTerm);
        using var deadline = new CancellationTokenSource(timeout);
        await _process!.WaitForExitAsync(deadline.Token);
        var code = _process.ExitCode;
        _process.Dispose();
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
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    private void Signal(int signal)
    {
        if (SendSignal(_process!.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed for {Name}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append('[').Append(Name).Append("] ").AppendLine(line);
        }
    }
}
