using System.Diagnostics;
using System.Text;

namespace KvDirectory.Deployment.Tests.Compose;

/// <summary>A server started with exactly the command line and environment given (the inherited ETCD_* ones removed); disposing kills it.</summary>
public sealed class MemberProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private MemberProcess(Process process) => _process = process;

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

    public static MemberProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("ETCD_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var member = new MemberProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}"));
        member._process.OutputDataReceived += (_, e) => member.Append(e.Data);
        member._process.ErrorDataReceived += (_, e) => member.Append(e.Data);
        member._process.BeginOutputReadLine();
        member._process.BeginErrorReadLine();
        return member;
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

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
