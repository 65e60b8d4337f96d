using System.Text;
using KvDirectory.Compatibility.Tests.Harness;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>
/// KVDIR_COMPAT_DUMP=dir writes every scenario's raw answers from both servers to dir/&lt;prefix&gt;.txt:
/// reading real etcd's answers is how new scenarios are written (and how a surprising pass is double-checked).
/// </summary>
public static class TranscriptDump
{
    private static readonly string? Directory = Environment.GetEnvironmentVariable("KVDIR_COMPAT_DUMP");

    public static async Task WriteAsync(Scenario scenario, ServerRun reference, ServerRun candidate)
    {
        if (string.IsNullOrEmpty(Directory))
        {
            return;
        }

        System.IO.Directory.CreateDirectory(Directory);
        var text = new StringBuilder().AppendLine($"# {scenario.Name}");
        foreach (var run in new[] { reference, candidate })
        {
            text.AppendLine($"## {run.Server.Kind} (index base {run.Rebase.Base})");
            foreach (var exchange in run.Exchanges)
            {
                text.AppendLine($"> {exchange.Description}").Append(exchange.Response).AppendLine();
            }
        }

        await File.WriteAllTextAsync(Path.Combine(Directory, scenario.Prefix.Trim('/') + ".txt"), text.ToString());
    }
}
