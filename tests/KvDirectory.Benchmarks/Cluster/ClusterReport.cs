using System.Text.Json;
using System.Text.Json.Serialization;

namespace KvDirectory.Benchmarks.Cluster;

/// <summary>The cluster benchmark's results as JSON, for the closing note of an issue or a comparison between runs.</summary>
public static class ClusterReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task WriteAsync(string path, BenchmarkOptions options, DateTimeOffset started, IReadOnlyList<ClusterMeasurement> measurements)
    {
        var (one, five, fifteen) = LoadAverage.Read();
        var report = new
        {
            started,
            finished = DateTimeOffset.UtcNow,
            machine = new { Environment.ProcessorCount, loadAverageAtEnd = new[] { one, five, fifteen } },
            options = new
            {
                options.Connections,
                options.Keys,
                options.ValueBytes,
                options.Seed,
                durationSeconds = options.Duration.TotalSeconds,
                warmupSeconds = options.Warmup.TotalSeconds,
                heartbeatIntervalMilliseconds = options.Timings.HeartbeatMilliseconds,
                electionTimeoutMilliseconds = options.Timings.ElectionMilliseconds,
            },
            results = measurements.Select(m => new
            {
                server = m.Result.Server,
                workload = m.Result.Workload,
                m.Result.Requests,
                m.Result.Errors,
                elapsedSeconds = m.Result.Elapsed.TotalSeconds,
                requestsPerSecond = m.Result.RequestsPerSecond,
                p50Milliseconds = m.Result.P50Milliseconds,
                p99Milliseconds = m.Result.P99Milliseconds,
                maxMilliseconds = m.Result.MaxMilliseconds,
                loadAverageAtStart = m.LoadAverage,
                clusterCpuMillisecondsPerRequest = m.CpuMillisecondsPerRequest,
                leaderEntriesPerFsync = m.LeaderEntriesPerFsync,
                leaderUnchanged = m.LeaderUnchanged,
                members = m.Members.Select(member => new
                {
                    member.Name,
                    member.Role,
                    cpuMillisecondsPerRequest = m.CpuMillisecondsPerRequestOf(member.Delta.CpuSeconds),
                    walFsyncs = member.Delta.WalFsyncs,
                    meanFsyncMilliseconds = member.Delta.MeanFsyncMilliseconds,
                    entriesCommitted = member.Delta.ProposalsCommitted,
                }),
            }),
            ratiosOursOverEtcd = Ratios(measurements).Select(r => new
            {
                r.Workload,
                throughput = r.Throughput,
                p50 = r.P50,
                p99 = r.P99,
            }),
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, Json));
    }

    /// <summary>ours/etcd for each workload both servers ran: above 1 is better for throughput, below 1 for latency.</summary>
    public static IEnumerable<(string Workload, double Throughput, double P50, double P99)> Ratios(IReadOnlyList<ClusterMeasurement> measurements)
    {
        foreach (var workload in measurements.Select(m => m.Result.Workload).Distinct())
        {
            var etcd = measurements.FirstOrDefault(m => m.Result.Server == "etcd" && m.Result.Workload == workload)?.Result;
            var ours = measurements.FirstOrDefault(m => m.Result.Server == "kvdirectory" && m.Result.Workload == workload)?.Result;
            if (etcd is not null && ours is not null)
            {
                yield return (workload, ours.RequestsPerSecond / etcd.RequestsPerSecond, ours.P50Milliseconds / etcd.P50Milliseconds, ours.P99Milliseconds / etcd.P99Milliseconds);
            }
        }
    }
}
