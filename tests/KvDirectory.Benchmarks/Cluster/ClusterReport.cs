using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using KvDirectory.Benchmarks.Single;

namespace KvDirectory.Benchmarks.Cluster;

/// <summary>The cluster benchmark's rows, its table of medians and ratios, and the JSON with every window.</summary>
public static class ClusterReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Header =>
        $"{"server",-14} {"mode",-4} {"workload",-13} {"round",5} {"requests",9} {"errors",6} {"req/s",8} {"p50 ms",7} {"p99 ms",7} {"max ms",7} {"cpu s/1k",8} {"ent/fsync",9} {"fsync ms",8} {"load",5}";

    public static string Row(ClusterMeasurement m)
    {
        var r = m.Result;
        var note = m.LeaderUnchanged ? string.Empty : "  (leader changed during the window)";
        return string.Create(CultureInfo.InvariantCulture,
            $"{m.Variant,-14} {m.Mode,-4} {r.Workload,-13} {m.Round,5} {r.Requests,9} {r.Errors,6} {r.RequestsPerSecond,8:F0} {r.P50Milliseconds,7:F2} {r.P99Milliseconds,7:F2} {r.MaxMilliseconds,7:F1} {m.CpuSecondsPerThousandRequests,8:F3} {m.LeaderEntriesPerFsync,9:F1} {m.Leader.MeanFsyncMilliseconds,8:F2} {m.LoadAverage,5:F2}{note}");
    }

    public static void Print(TextWriter output, IReadOnlyList<ClusterSummary> summaries, List<string> variants)
    {
        output.WriteLine();
        output.WriteLine("medians over the rounds (each cluster alone on the machine for its turn):");
        output.WriteLine($"{"server",-14} {"mode",-4} {"workload",-13} {"rounds",6} {"errors",6} {"req/s",8} {"lowest",8} {"highest",8} {"p50 ms",7} {"p99 ms",7} {"max ms",7} {"cpu s/1k",8} {"ent/fsync",9} {"fsync ms",8} {"load",5}");
        foreach (var s in Ordered(summaries, variants))
        {
            var note = s.LeaderChanges == 0 ? string.Empty : $"  ({s.LeaderChanges} windows with a leader change)";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Variant,-14} {s.Mode,-4} {s.Workload,-13} {s.Rounds,6} {s.Errors,6} {s.RequestsPerSecond,8:F0} {s.LowestRequestsPerSecond,8:F0} {s.HighestRequestsPerSecond,8:F0} {s.P50Milliseconds,7:F2} {s.P99Milliseconds,7:F2} {s.MaxMilliseconds,7:F1} {s.CpuSecondsPerThousandRequests,8:F3} {s.LeaderEntriesPerFsync,9:F1} {s.LeaderFsyncMilliseconds,8:F2} {s.LoadAverage,5:F2}{note}"));
        }

        output.WriteLine("lowest/highest: the rounds' extremes of req/s; cpu s/1k: CPU seconds of all three members per 1,000 requests (= ms per request), counted until the CPU tail after the load; ent/fsync, fsync ms: the leader's WAL; load: 1-minute load average at the window's start");
        output.WriteLine();
        foreach (var ratio in Ratios(summaries, variants))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(ratio.Against == "warm" ? $"{ratio.Variant} cold/warm" : $"{ratio.Variant}/{ratio.Against} {ratio.Mode}"),-28} {ratio.Workload,-13} throughput x{ratio.Throughput:F2}, p99 x{ratio.P99:F2}, cpu/1k x{ratio.Cpu:F2}{(ratio.WithinNoise ? "  (within the rounds' spread)" : string.Empty)}"));
        }
    }

    /// <summary>
    /// Each contender but etcd against etcd in the same mode, each --variant against our built server (old vs new
    /// build), and each contender's cold figures against its warm ones. Throughput above 1 is better, p99 and CPU below 1.
    /// WithinNoise: the two medians each lie inside the other's lowest–highest spread.
    /// </summary>
    public static IEnumerable<(string Variant, string Against, string Mode, string Workload, double Throughput, double P99, double Cpu, bool WithinNoise)> Ratios(
        IReadOnlyList<ClusterSummary> summaries, List<string> variants)
    {
        foreach (var ours in Ordered(summaries, variants))
        {
            var against = new List<(string Label, ClusterSummary? Summary)>();
            if (ours.Variant != "etcd")
            {
                against.Add(("etcd", summaries.FirstOrDefault(s => s.Variant == "etcd" && s.Mode == ours.Mode && s.Workload == ours.Workload)));
            }

            if (ours.Variant is not "etcd" and not "kvdirectory")
            {
                against.Add(("kvdirectory", summaries.FirstOrDefault(s => s.Variant == "kvdirectory" && s.Mode == ours.Mode && s.Workload == ours.Workload)));
            }

            if (ours.Mode == "cold")
            {
                against.Add(("warm", summaries.FirstOrDefault(s => s.Variant == ours.Variant && s.Mode == "warm" && s.Workload == ours.Workload)));
            }

            foreach (var (label, other) in against)
            {
                if (other is not null)
                {
                    var withinNoise = Inside(ours.RequestsPerSecond, other) && Inside(other.RequestsPerSecond, ours);
                    yield return (ours.Variant, label, ours.Mode, ours.Workload, ours.RequestsPerSecond / other.RequestsPerSecond,
                        ours.P99Milliseconds / other.P99Milliseconds, ours.CpuSecondsPerThousandRequests / other.CpuSecondsPerThousandRequests, withinNoise);
                }
            }
        }
    }

    public static async Task WriteAsync(
        string path, BenchmarkOptions options, IReadOnlyList<ServerVariant> variants, DateTimeOffset started,
        IReadOnlyList<ClusterMeasurement> measurements, IReadOnlyList<ClusterSummary> summaries)
    {
        var (one, five, fifteen) = LoadAverage.Read();
        var names = variants.Select(v => v.Name).ToList();
        var report = new
        {
            started,
            finished = DateTimeOffset.UtcNow,
            machine = new { Environment.ProcessorCount, loadAverageAtEnd = new[] { one, five, fifteen } },
            options = new
            {
                options.Rounds,
                options.Modes,
                options.Connections,
                options.Keys,
                options.ValueBytes,
                options.Seed,
                durationSeconds = options.Duration.TotalSeconds,
                warmupSeconds = options.Warmup.TotalSeconds,
                coldWarmupSeconds = options.ColdWarmup.TotalSeconds,
                cpuTailSeconds = options.CpuTail.TotalSeconds,
                heartbeatIntervalMilliseconds = options.Timings.HeartbeatMilliseconds,
                electionTimeoutMilliseconds = options.Timings.ElectionMilliseconds,
            },
            variants = variants.Select(v => new { v.Name, v.Kind, v.Environment, v.ServerDll }),
            summaries,
            ratios = Ratios(summaries, names).Select(r => new { r.Variant, r.Against, r.Mode, r.Workload, r.Throughput, r.P99, r.Cpu, r.WithinNoise }),
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
                m.CpuSecondsPerThousandRequests,
                m.LeaderEntriesPerFsync,
                m.LeaderUnchanged,
                m.LoadAverage,
                members = m.Members.Select(member => new
                {
                    member.Name,
                    member.Role,
                    member.Delta.CpuSeconds,
                    cpuSecondsPerThousandRequests = m.CpuMillisecondsPerRequestOf(member.Delta.CpuSeconds),
                    member.Delta.WalFsyncs,
                    member.Delta.MeanFsyncMilliseconds,
                    entriesCommitted = member.Delta.ProposalsCommitted,
                }),
            }),
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, Json));
    }

    private static bool Inside(double value, ClusterSummary spread) =>
        value >= spread.LowestRequestsPerSecond && value <= spread.HighestRequestsPerSecond;

    private static IEnumerable<ClusterSummary> Ordered(IReadOnlyList<ClusterSummary> summaries, List<string> variants) =>
        summaries.OrderBy(s => s.Mode == "cold")
            .ThenBy(s => ClusterWorkload.All.ToList().FindIndex(w => w.Name == s.Workload))
            .ThenBy(s => variants.IndexOf(s.Variant));
}
