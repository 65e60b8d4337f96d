using KvDirectory.Testing.Processes;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace KvDirectory.Benchmarks.Cluster;

/// <summary>
/// Every process and temp dir the cluster benchmark creates, so none outlives it: the normal path disposes them in
/// finally blocks, and this kills and deletes whatever is left when the benchmark ends some other way (an exception
/// escaping Main, SIGTERM, SIGHUP). Ctrl+C cancels <see cref="Cancellation"/> instead of ending the benchmark at
/// once, so the finally blocks run as usual.
/// </summary>
public static class ChildProcessReaper
{
    private static readonly HashSet<LaunchedServer> Processes = [];
    private static readonly HashSet<string> Directories = [];
    private static readonly CancellationTokenSource CancellationSource = new();
    private static readonly List<PosixSignalRegistration> Signals = [];
    private static int _installed;

    /// <summary>Cancelled by the first Ctrl+C (a second one is left to the runtime: it ends the process, and <see cref="KillAll"/> runs from ProcessExit).</summary>
    public static CancellationToken Cancellation => CancellationSource.Token;

    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
        Console.CancelKeyPress += (_, e) =>
        {
            if (!CancellationSource.IsCancellationRequested)
            {
                Console.Error.WriteLine("interrupted: stopping the servers");
                e.Cancel = true;
                CancellationSource.Cancel();
            }
        };
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
        {
            // The handler runs before the runtime's default (which exits): the children must be gone by then.
            Signals.Add(PosixSignalRegistration.Create(signal, _ => KillAll()));
        }
    }

    public static void Track(LaunchedServer process)
    {
        lock (Processes)
        {
            Processes.Add(process);
        }
    }

    public static void Forget(LaunchedServer process)
    {
        lock (Processes)
        {
            Processes.Remove(process);
        }
    }

    /// <summary>A temp dir to delete if the benchmark ends before its owner deletes it.</summary>
    public static void TrackDirectory(string path)
    {
        lock (Processes)
        {
            Directories.Add(path);
        }
    }

    public static void ForgetDirectory(string path)
    {
        lock (Processes)
        {
            Directories.Remove(path);
        }
    }

    /// <summary>SIGKILLs every tracked process tree that is still running, then deletes the tracked temp dirs.</summary>
    public static void KillAll()
    {
        LaunchedServer[] remaining;
        string[] directories;
        lock (Processes)
        {
            remaining = [.. Processes];
            directories = [.. Directories];
            Processes.Clear();
            Directories.Clear();
        }

        foreach (var process in remaining)
        {
            // Exit handlers cannot await: kill, then block for the exit a little while.
            process.Kill();
            process.WaitForExitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        }

        foreach (var directory in directories)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
