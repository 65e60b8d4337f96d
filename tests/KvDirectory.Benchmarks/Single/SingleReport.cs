using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using KvDirectory.Benchmarks.Cluster;

namespace KvDirectory.Benchmarks.Single;

/// <summary>The single-node benchmark's table (medians over the rounds), its ratios, and the JSON with every window.</summary>
public static class SingleReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Header =>
        $"{"server",-16} {"mode",-4} {"workload",-8} {"round",5} {"requests",9} {"errors",6} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"cpu s/1k",8} {"idle",5} {"fsync ms",8} {"ent/fs",6} {"busy",5} {"gen",4} {"start s",7} {"cpu",5} {"rss MB",6} {"load",5}";

    public static string Row(SingleMeasurement m)
    {
        var r = m.Result;
        return string.Create(CultureInfo.InvariantCulture,
            $"{m.Variant,-16} {m.Mode,-4} {r.Workload,-8} {m.Round,5} {r.Requests,9} {r.Errors,6} {r.RequestsPerSecond,9:F0} {r.P50Milliseconds,8:F2} {r.P99Milliseconds,8:F2} {r.MaxMilliseconds,8:F1} {m.CpuSecondsPerThousandRequests,8:F3} {m.IdleCores,5:F2} {m.Wal.MeanFsyncMilliseconds,8:F2} {m.EntriesPerFsync,6:F1} {m.FsyncBusy,5:F2} {m.GeneratorCores,4:F2} {m.StartSeconds,7:F2} {m.StartCpuSeconds,5:F2} {m.RssMegabytes,6:F0} {m.LoadAverage,5:F2}");
    }

    /// <summary>Under a watch row: the fan-out window's CPU, in all and per watcher.</summary>
    public static string FanOutRow(string variant, long watchers, FanOutCpu cpu) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{variant,-16} fan-out CPU from the write to the last answer: server {cpu.ServerSeconds * 1000:F0} ms (user {cpu.ServerUserSeconds * 1000:F0}, kernel {cpu.ServerKernelSeconds * 1000:F0}; {cpu.ServerSeconds * 1e6 / watchers:F1} us per watcher, kernel {cpu.ServerKernelSeconds * 1e6 / watchers:F1}), generator {cpu.GeneratorSeconds * 1000:F0} ms");

    public static void Print(TextWriter output, IReadOnlyList<SingleSummary> summaries, List<string> variants, int watchers)
    {
        output.WriteLine();
        output.WriteLine("medians over the rounds (each server alone on the machine for its turn):");
        output.WriteLine($"{"server",-16} {"mode",-4} {"workload",-8} {"rounds",6} {"errors",6} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"cpu s/1k",8} {"idle",5} {"fsync ms",8} {"ent/fs",6} {"busy",5} {"gen",4} {"start s",7} {"cpu",5} {"rss MB",6} {"load",5}");
        foreach (var s in summaries.OrderBy(s => s.Mode == "cold").ThenBy(s => Index(s.Workload)).ThenBy(s => variants.IndexOf(s.Variant)))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Variant,-16} {s.Mode,-4} {s.Workload,-8} {s.Rounds,6} {s.Errors,6} {s.RequestsPerSecond,9:F0} {s.P50Milliseconds,8:F2} {s.P99Milliseconds,8:F2} {s.MaxMilliseconds,8:F1} {s.CpuSecondsPerThousandRequests,8:F3} {s.IdleCores,5:F2} {s.FsyncMilliseconds,8:F2} {s.EntriesPerFsync,6:F1} {s.FsyncBusy,5:F2} {s.GeneratorCores,4:F2} {s.StartSeconds,7:F2} {s.StartCpuSeconds,5:F2} {s.RssMegabytes,6:F0} {s.LoadAverage,5:F2}"));
        }

        output.WriteLine("cpu s/1k: the server's CPU seconds per 1,000 requests, counted until the CPU tail after the load; idle: its cores in the second after the load (the fan-out's load ends when the server has closed the watchers' connections); fsync ms, ent/fs, busy: the WAL during the window (mean fsync, Raft entries committed per fsync, share of the window spent in fsyncs: near 1 the disk bounds the writes); gen: the load generator's cores during the window (the machine has 2); start s / cpu: process start to its first /health answer, wall and CPU seconds; rss MB: its resident set after the tail; watch: requests = watchers, req/s = watchers / time from the write to the last answer, max = the slowest watcher's delay; load: 1-minute load average at the window's start");
        foreach (var s in summaries.Where(s => s.Workload == SingleWorkload.Watch.Name).OrderBy(s => s.Mode == "cold").ThenBy(s => variants.IndexOf(s.Variant)))
        {
            output.WriteLine($"{FanOutRow(s.Variant, watchers, s.FanOut)} ({s.Mode}, medians)");
        }

        output.WriteLine();
        foreach (var ratio in Ratios(summaries))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(ratio.Against == "warm" ? $"{ratio.Variant} cold/warm" : $"{ratio.Variant}/{ratio.Against} {ratio.Mode}"),-34} {ratio.Workload,-8} throughput x{ratio.Throughput:F2}, p99 x{ratio.P99:F2}, cpu/1k x{ratio.Cpu:F2}"));
        }
    }

    /// <summary>
    /// For each of our variants: against etcd in the same mode and auth state (throughput above 1 is better, p99 and CPU
    /// below 1), with auth on also against itself without auth, and its cold figures against its own warm ones ("cold/warm").
    /// </summary>
    public static IEnumerable<(string Variant, string Against, string Mode, string Workload, double Throughput, double P99, double Cpu)> Ratios(IReadOnlyList<SingleSummary> summaries)
    {
        foreach (var ours in summaries.Where(s => !s.Variant.StartsWith("etcd", StringComparison.Ordinal)).OrderBy(s => s.Variant).ThenBy(s => s.Mode == "cold").ThenBy(s => Index(s.Workload)))
        {
            foreach (var baseline in ServerVariant.Baselines(ours.Variant))
            {
                if (summaries.FirstOrDefault(s => s.Variant == baseline && s.Mode == ours.Mode && s.Workload == ours.Workload) is { } other)
                {
                    yield return Ratio(ours, baseline, ours.Mode, other);
                }
            }

            var warm = summaries.FirstOrDefault(s => s.Variant == ours.Variant && s.Mode == "warm" && s.Workload == ours.Workload);
            if (ours.Mode == "cold" && warm is not null)
            {
                yield return Ratio(ours, "warm", "cold", warm);
            }
        }
    }

    public static async Task WriteAsync(
        string path, BenchmarkOptions options, IReadOnlyList<ServerVariant> variants, DateTimeOffset started,
        IReadOnlyList<SingleMeasurement> measurements, IReadOnlyList<SingleSummary> summaries)
    {
        var (one, five, fifteen) = LoadAverage.Read();
        var report = new
        {
            started,
            finished = DateTimeOffset.UtcNow,
            machine = new { Environment.ProcessorCount, loadAverageAtEnd = new[] { one, five, fifteen } },
            options = new
            {
                options.Rounds,
                options.Modes,
                workloads = options.Workloads.Select(w => w.Name),
                options.Connections,
                options.Keys,
                options.ValueBytes,
                options.Watchers,
                options.Seed,
                durationSeconds = options.Duration.TotalSeconds,
                warmupSeconds = options.Warmup.TotalSeconds,
                coldWarmupSeconds = options.ColdWarmup.TotalSeconds,
                cpuTailSeconds = options.CpuTail.TotalSeconds,
                generator = options.Wrk ? "wrk" : "httpclient",
            },
            variants = variants.Select(v => new { v.Name, v.Kind, v.Environment, v.ServerDll }),
            summaries,
            ratios = Ratios(summaries).Select(r => new { r.Variant, r.Against, r.Mode, r.Workload, r.Throughput, r.P99, r.Cpu }),
            windows = measurements.Select(m => new
            {
                m.Variant,
                m.Mode,
                m.Round,
                m.Result.Workload,
                m.Result.Requests,
                m.Result.Errors,
                elapsedSeconds = m.Result.Elapsed.TotalSeconds,
                m.Result.RequestsPerSecond,
                m.Result.P50Milliseconds,
                m.Result.P99Milliseconds,
                m.Result.MaxMilliseconds,
                m.CpuSeconds,
                m.CpuSecondsPerThousandRequests,
                m.IdleCores,
                m.LoadAverage,
                m.StartSeconds,
                m.StartCpuSeconds,
                m.RssMegabytes,
                walFsyncs = m.Wal.WalFsyncs,
                walFsyncSeconds = m.Wal.WalFsyncSeconds,
                entriesCommitted = m.Wal.ProposalsCommitted,
                m.EntriesPerFsync,
                m.FsyncBusy,
                m.GeneratorCores,
                fanOut = m.Result.Workload == SingleWorkload.Watch.Name ? m.FanOut : null,
            }),
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, Json));
    }

    private static (string Variant, string Against, string Mode, string Workload, double Throughput, double P99, double Cpu) Ratio(
        SingleSummary ours, string against, string mode, SingleSummary other) =>
        (ours.Variant, against, mode, ours.Workload, ours.RequestsPerSecond / other.RequestsPerSecond, ours.P99Milliseconds / other.P99Milliseconds,
            ours.CpuSecondsPerThousandRequests / other.CpuSecondsPerThousandRequests);

    private static int Index(string workload) => SingleWorkload.All.ToList().FindIndex(w => w.Name == workload);
}
