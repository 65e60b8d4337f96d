using System.Diagnostics;
using System.Threading.Channels;

namespace KvDirectory.Testing;

/// <summary>A long-running kvctl (watch --forever, exec-watch) whose stdout lines are read as they come; disposing kills it.</summary>
public sealed class BackgroundKvctl : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly System.Text.StringBuilder _errors = new();

    private BackgroundKvctl(Process process) => _process = process;

    /// <summary>For signals (SIGSTOP/SIGCONT) a test sends to freeze it.</summary>
    public int ProcessId => _process.Id;

    public static BackgroundKvctl Start(string endpoint, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[RepositoryPaths.CliDll, "--endpoints", endpoint, .. args])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("kvctl did not start");
        var background = new BackgroundKvctl(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                background._lines.Writer.TryWrite(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (background._errors)
            {
                background._errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return background;
    }

    public async Task<string> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            return await _lines.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            lock (_errors)
            {
                throw new TimeoutException($"no line from kvctl (exited: {_process.HasExited}); stderr: {_errors}");
            }
        }
    }

    public async Task<IReadOnlyList<string>> ReadLinesAsync(int count)
    {
        var lines = new List<string>();
        for (var i = 0; i < count; i++)
        {
            lines.Add(await ReadLineAsync());
        }

        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
