using System.Diagnostics;
using System.Runtime.InteropServices;

namespace KvDirectory.Testing.Processes;

/// <summary>
/// One run of a server process (etcd or ours) started from a <see cref="ServerLaunch"/>: its output captured, its
/// readiness observed by polling <c>/health</c> (over https through the caller's client when the port is TLS), signals
/// for pausing and stopping it, and SIGKILL of the whole process tree on dispose, so no test leaves a process behind.
/// Data dirs and ports belong to the caller.
/// </summary>
public sealed class LaunchedServer : IAsyncDisposable
{
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Process _process;
    private readonly ProcessOutput _output;

    private LaunchedServer(string kind, Process process, ProcessOutput output)
    {
        Kind = kind;
        _process = process;
        _output = output;
    }

    /// <summary><see cref="ServerLaunch.Etcd"/> or <see cref="ServerLaunch.KvDirectory"/>.</summary>
    public string Kind { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public DateTime StartTime => _process.StartTime.ToUniversalTime();

    /// <summary>Everything printed so far (by every run sharing the launch's <see cref="ProcessOutput"/>).</summary>
    public string Output => _output.ToString();

    /// <summary>True once the process printed a line containing <paramref name="text"/>; false at the deadline.</summary>
    public Task<bool> WaitForLineAsync(string text, TimeSpan timeout) => _output.WaitForLineAsync(text, timeout);

    /// <summary>Starts the process and returns at once; <see cref="WaitUntilHealthyAsync"/> waits for it to serve.</summary>
    public static LaunchedServer Start(ServerLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var (executable, arguments) = launch.CommandLine();
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = launch.WorkingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (launch.Kind == ServerLaunch.KvDirectory && !launch.ShippedJit)
        {
            info.Environment["DOTNET_TC_QuickJit"] = "1";
        }

        foreach (var (name, value) in launch.Environment)
        {
            info.Environment[name] = value;
        }

        var output = launch.Output ?? new ProcessOutput();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        process.OutputDataReceived += (_, e) => output.Append(e.Data);
        process.ErrorDataReceived += (_, e) => output.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new LaunchedServer(launch.Kind, process, output);
    }

    /// <summary>
    /// Polls <c>/health</c> at <paramref name="clientUrl"/> until it answers 200 (readiness is only observable by
    /// asking); <paramref name="http"/> carries the CA and client certificate of a TLS port. Throws
    /// <see cref="ServerExitedException"/> if the process exits first, <see cref="TimeoutException"/> at the deadline.
    /// </summary>
    /// <param name="pollInterval">Between two asks; 50 ms unless a measurement wants it finer.</param>
    public async Task WaitUntilHealthyAsync(
        Uri clientUrl, TimeSpan timeout, HttpClient? http = null, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        using var own = http is null ? new HttpClient { Timeout = TimeSpan.FromSeconds(2) } : null;
        var client = http ?? own!;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(CancellationToken.None); // the output is complete once the streams closed
                throw new ServerExitedException($"{Kind} exited with {_process.ExitCode} before it was healthy", Output);
            }

            if (await IsHealthyAsync(clientUrl, client, cancellationToken))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Kind} was not healthy after {timeout}:{Environment.NewLine}{Output}");
            }

            await Task.Delay(pollInterval ?? PollInterval, cancellationToken);
        }
    }

    /// <summary>True when <c>/health</c> answers 200 right now; false for any other answer or none.</summary>
    public static async Task<bool> IsHealthyAsync(Uri clientUrl, HttpClient http, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            using var response = await http.GetAsync(new Uri(clientUrl, "/health"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Waits for the process to exit by itself; false if it still runs at the deadline.</summary>
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

    /// <summary>Sends a Unix signal (<see cref="SigStop"/>, <see cref="SigCont"/>, <see cref="SigTerm"/> …) to the process.</summary>
    public void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>SIGKILL of the whole process tree and waits for the exit: nothing gets flushed or closed cleanly. A no-op once exited.</summary>
    public async Task KillAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGKILL of the whole process tree without waiting (for exit handlers, which cannot await).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill, or already disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
