using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace KvDirectory.Benchmarks.Single;

/// <summary>
/// --generator wrk: a closed-loop window driven by <c>wrk</c> (Debian's wrk 4, C on epoll, 2 threads) instead of the
/// benchmark's HttpClient, with the same connections, keys, values and request mix (a Lua script written per
/// workload). A generator that costs far less per request lets both servers run closer to their own limits: the
/// cross-check of the table's ratios, and of p99 at a faster pace.
/// </summary>
public sealed partial class WrkLoad(Uri baseUrl, BenchmarkOptions options) : IDisposable
{
    private const string Executable = "wrk";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly string _scripts = Directory.CreateTempSubdirectory("kvdirectory-wrk-").FullName;

    /// <summary>What wrk itself used in the last window: its CPU time, for the generator column.</summary>
    public TimeSpan LastCpu { get; private set; }

    public static bool IsInstalled() => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, Executable)));

    /// <summary>One window of <paramref name="workload"/> lasting <paramref name="duration"/> (whole seconds, at least 1).</summary>
    public async Task<WorkloadResult> RunAsync(string server, SingleWorkload workload, TimeSpan duration, CancellationToken cancellationToken)
    {
        var script = Path.Combine(_scripts, workload.Name + ".lua");
        if (!File.Exists(script))
        {
            await File.WriteAllTextAsync(script, Script(workload), cancellationToken);
        }

        var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds));
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "-t", "2", "-c", options.Connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s",
                     "--timeout", $"{(int)RequestTimeout.TotalSeconds}s", "--latency", "-s", script, baseUrl.GetLeftPart(UriPartial.Authority),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        // wrk's CPU: what this process's reaped children used, before and after (the server under test is a child too,
        // but it is still running; /proc of wrk itself is gone once it has exited).
        var childrenBefore = ChildrenCpu();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        using var kill = cancellationToken.Register(() => process.Kill());
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        LastCpu = ChildrenCpu() - childrenBefore;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {await errors}");
        }

        return Parse(server, workload.Name, await output);
    }

    public void Dispose() => Directory.Delete(_scripts, recursive: true);

    /// <summary>The figures of wrk's report (<c>--latency</c>): requests, elapsed, failed answers and errors, p50, p99, max.</summary>
    public static WorkloadResult Parse(string server, string workload, string report)
    {
        var total = TotalPattern().Match(report);
        var max = MaxPattern().Match(report);
        if (!total.Success || !max.Success)
        {
            throw new FormatException($"not a wrk --latency report: {report}");
        }

        var requests = long.Parse(total.Groups["requests"].Value, CultureInfo.InvariantCulture);
        var elapsed = TimeSpan.FromMilliseconds(Milliseconds(total.Groups["elapsed"].Value));
        var failed = NonSuccessPattern().Match(report) is { Success: true } non ? long.Parse(non.Groups["count"].Value, CultureInfo.InvariantCulture) : 0;
        var socketErrors = SocketErrorsPattern().Match(report) is { Success: true } socket
            ? socket.Groups["count"].Captures.Sum(c => long.Parse(c.Value, CultureInfo.InvariantCulture))
            : 0;
        return new WorkloadResult(server, workload, requests, failed + socketErrors, elapsed, Percentile(report, "50"), Percentile(report, "99"), Milliseconds(max.Groups["max"].Value));
    }

    /// <summary>The Lua script of one workload: the requests the HttpClient generator sends for it, keys drawn at random.</summary>
    private string Script(SingleWorkload workload)
    {
        var value = LoadGenerator.Value(options);
        var lua = new StringBuilder();
        lua.AppendLine(CultureInfo.InvariantCulture, $"math.randomseed({options.Seed})");
        lua.AppendLine(CultureInfo.InvariantCulture, $"local keys = {options.Keys}");
        lua.AppendLine("local get_headers = {}");
        lua.AppendLine("local put_headers = { [\"Content-Type\"] = \"application/x-www-form-urlencoded\" }");

        lua.AppendLine(CultureInfo.InvariantCulture, $"local put_body = \"value={value}\"");
        lua.AppendLine(CultureInfo.InvariantCulture, $"local cas_body = \"value={value}&prevValue={value}\"");
        lua.AppendLine("local function key() return \"/v2/keys/bench/k\" .. math.random(0, keys - 1) end");
        lua.AppendLine("local function put(body) return wrk.format(\"PUT\", key(), put_headers, body) end");
        lua.AppendLine("local function get(query) return wrk.format(\"GET\", key() .. query, get_headers) end");
        lua.AppendLine("request = function()");
        lua.AppendLine(workload.Name switch
        {
            "put" => "  return put(put_body)",
            "get" => "  return get(\"\")",
            "qget" => "  return get(\"?quorum=true\")",
            "mixed" => "  if math.random(10) == 1 then return put(put_body) end\n  return get(\"\")",
            "cas" => "  return put(cas_body)",
            "rget" => "  return wrk.format(\"GET\", \"/v2/keys/bench?recursive=true\", get_headers)",
            _ => throw new InvalidOperationException($"{workload.Name} is not a closed-loop workload"),
        });
        lua.AppendLine("end");
        return lua.ToString();
    }

    private static double Percentile(string report, string percent)
    {
        var match = Regex.Match(report, $@"^\s*{percent}(\.0+)?%\s+(?<value>[\d.]+(us|ms|s|m))\s*$", RegexOptions.Multiline);
        return match.Success ? Milliseconds(match.Groups["value"].Value) : double.NaN;
    }

    /// <summary>wrk's durations: "812.00us", "1.51ms", "2.03s", "1.00m".</summary>
    private static double Milliseconds(string text)
    {
        var unit = text.EndsWith("us", StringComparison.Ordinal) ? "us" : text.EndsWith("ms", StringComparison.Ordinal) ? "ms" : text[^1..];
        var number = double.Parse(text[..^unit.Length], CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => number / 1000,
            "ms" => number,
            "s" => number * 1000,
            "m" => number * 60_000,
            _ => throw new FormatException($"not a wrk duration: {text}"),
        };
    }

    /// <summary>User and system CPU of every child process this one has waited for (<c>getrusage(RUSAGE_CHILDREN)</c>).</summary>
    private static TimeSpan ChildrenCpu()
    {
        const int children = -1;
        if (GetResourceUsage(children, out var usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return TimeSpan.FromMicroseconds(((usage.UserSeconds + usage.SystemSeconds) * 1_000_000.0) + usage.UserMicroseconds + usage.SystemMicroseconds);
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetResourceUsage(int who, out ResourceUsage usage);

    /// <summary>Linux's <c>struct rusage</c> on 64 bits: two timevals read here, then 14 counters (144 bytes in all).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }

    [GeneratedRegex(@"(?<requests>\d+) requests in (?<elapsed>[\d.]+(us|ms|s|m)),")]
    private static partial Regex TotalPattern();

    [GeneratedRegex(@"^\s*Latency\s+\S+\s+\S+\s+(?<max>[\d.]+(us|ms|s|m))", RegexOptions.Multiline)]
    private static partial Regex MaxPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (?<count>\d+)")]
    private static partial Regex NonSuccessPattern();

    [GeneratedRegex(@"Socket errors: connect (?<count>\d+), read (?<count>\d+), write (?<count>\d+), timeout (?<count>\d+)")]
    private static partial Regex SocketErrorsPattern();
}
