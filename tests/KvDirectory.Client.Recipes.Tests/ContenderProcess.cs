using System.Diagnostics;
using System.Globalization;
using KvDirectory.Testing;

namespace KvDirectory.Client.Recipes.Tests;

/// <summary>One KvDirectory.Recipes.TestHost process; its stdout lines are kept for the test to await and check.</summary>
public sealed class ContenderProcess : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(300);
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _arrived = new(0);

    private ContenderProcess(Process process) => _process = process;

    public static string HostDll => Path.Combine(RepositoryPaths.Root, "tests", "KvDirectory.Recipes.TestHost", "bin", RepositoryPaths.Configuration, "net10.0", "KvDirectory.Recipes.TestHost.dll");

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public static ContenderProcess Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(HostDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var contender = new ContenderProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start the test host"));
        contender._process.OutputDataReceived += (_, e) => contender.Add(e.Data);
        contender._process.ErrorDataReceived += (_, e) => contender.Add(e.Data is null ? null : "stderr: " + e.Data);
        contender._process.BeginOutputReadLine();
        contender._process.BeginErrorReadLine();
        return contender;
    }

    /// <summary>The first line starting with <paramref name="prefix"/> (waits for it); its last field is a Unix time in ms.</summary>
    public async Task<(string Line, long Milliseconds)> WaitForAsync(string prefix)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            if (Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
            {
                return (line, long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
            }

            var left = deadline - DateTime.UtcNow;
            left.Should().BePositive($"the test host should print {prefix}; it printed:\n{string.Join('\n', Lines)}");
            if (_process.HasExited && !await _arrived.WaitAsync(TimeSpan.FromMilliseconds(200)))
            {
                throw new InvalidOperationException($"test host exited ({_process.ExitCode}) without {prefix}:\n{string.Join('\n', Lines)}");
            }

            await _arrived.WaitAsync(left);
        }
    }

    public bool HasPrinted(string prefix) => Lines.Any(l => l.StartsWith(prefix, StringComparison.Ordinal));

    public long KilledAtMilliseconds { get; private set; }

    public async Task KillAndWaitAsync()
    {
        KilledAtMilliseconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
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

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        _arrived.Release();
    }
}
