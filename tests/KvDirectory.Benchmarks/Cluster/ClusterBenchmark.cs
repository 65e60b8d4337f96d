using System.Globalization;

namespace KvDirectory.Benchmarks.Cluster;

/// <summary>
/// Three-member clusters of real etcd and of KvDirectory, both running for the whole benchmark, measured in turns
/// (etcd, ours, ours, etcd, …) so a change in the machine's load hits both: PUT via the leader, PUT via a follower,
/// and GET ?quorum=true via a follower and via the leader. Prints a table with the ratio ours/etcd and writes JSON.
/// </summary>
public static class ClusterBenchmark
{
    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        ChildProcessReaper.Install();
        var cancellation = ChildProcessReaper.Cancellation;
        var started = DateTimeOffset.UtcNow;
        var jsonPath = options.JsonPath ?? Path.Combine(Path.GetTempPath(), $"kvdirectory-cluster-benchmark-{started:yyyyMMdd-HHmmss}.json");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cluster mode: 3 members each, seed {options.Seed}, {options.Connections} connections, {options.Keys} keys, {options.ValueBytes}-byte values, warmup {options.Warmup.TotalSeconds}s, duration {options.Duration.TotalSeconds}s per workload, heartbeat {options.Timings.HeartbeatMilliseconds} ms, election {options.Timings.ElectionMilliseconds} ms; {LoadAverage.Describe()}"));

        var clusters = new List<(BenchmarkCluster Cluster, BenchmarkMember Leader, BenchmarkMember Follower)>();
        var measurements = new List<ClusterMeasurement>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            foreach (var kind in options.Servers)
            {
                var cluster = await BenchmarkCluster.StartAsync(kind, options.Timings, cancellation);
                clusters.Add((cluster, null!, null!));
                var leader = await cluster.WaitForLeaderAsync(cancellation);
                var follower = cluster.Members.First(m => m != leader);
                clusters[^1] = (cluster, leader, follower);
                Console.WriteLine($"{kind}: leader {leader.Name} {leader.ClientUrl}, follower {follower.Name} {follower.ClientUrl}");
            }

            foreach (var (cluster, leader, _) in clusters)
            {
                using var load = new LoadGenerator(leader.ClientUrl, options);
                Console.WriteLine($"{cluster.Kind}: preloading {options.Keys} keys via the leader");
                await load.PreloadAsync(cancellation);
            }

            for (var w = 0; w < ClusterWorkload.All.Count; w++)
            {
                var workload = ClusterWorkload.All[w];
                // Alternate which server goes first, so neither always runs on the warmer (or busier) machine.
                var order = w % 2 == 0 ? clusters : Enumerable.Reverse(clusters).ToList();
                foreach (var (cluster, leader, follower) in order)
                {
                    var measurement = await MeasureAsync(cluster, leader, workload.ViaLeader ? leader : follower, workload, options, http, cancellation);
                    measurements.Add(measurement);
                    Console.WriteLine(Row(measurement));
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        catch (Exception error) when (!cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine($"cluster benchmark failed: {error}");
            return 2;
        }
        finally
        {
            foreach (var (cluster, _, _) in clusters)
            {
                await cluster.DisposeAsync();
            }
        }

        Console.WriteLine();
        Console.WriteLine(Header);
        foreach (var measurement in measurements)
        {
            Console.WriteLine(Row(measurement));
        }

        Console.WriteLine("cpu ms/req: CPU of all three members per request; entries/fsync, fsync ms: the leader's WAL; load: 1-minute load average at the window's start");
        Console.WriteLine();
        foreach (var (workload, throughput, p50, p99) in ClusterReport.Ratios(measurements))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ours/etcd {workload,-14} throughput x{throughput:F2}, p50 x{p50:F2}, p99 x{p99:F2}"));
        }

        await ClusterReport.WriteAsync(jsonPath, options, started, measurements);
        Console.WriteLine($"{LoadAverage.Describe()}; JSON report: {jsonPath}");
        return measurements.Any(m => m.Result.Errors > 0 || !m.LeaderUnchanged) ? 1 : 0;
    }

    private static string Header =>
        $"{"server",-12} {"workload",-14} {"requests",9} {"errors",6} {"req/s",8} {"p50 ms",7} {"p99 ms",7} {"max ms",7} {"cpu ms/req",10} {"entries/fsync",13} {"fsync ms",8} {"load",5}";

    private static string Row(ClusterMeasurement m)
    {
        var r = m.Result;
        var note = m.LeaderUnchanged ? string.Empty : "  (leader changed during the window)";
        return string.Create(CultureInfo.InvariantCulture,
            $"{r.Server,-12} {r.Workload,-14} {r.Requests,9} {r.Errors,6} {r.RequestsPerSecond,8:F0} {r.P50Milliseconds,7:F2} {r.P99Milliseconds,7:F2} {r.MaxMilliseconds,7:F1} {m.CpuMillisecondsPerRequest,10:F3} {m.LeaderEntriesPerFsync,13:F1} {m.Leader.MeanFsyncMilliseconds,8:F2} {m.LoadAverage,5:F2}{note}");
    }

    private static async Task<ClusterMeasurement> MeasureAsync(
        BenchmarkCluster cluster,
        BenchmarkMember leader,
        BenchmarkMember target,
        ClusterWorkload workload,
        BenchmarkOptions options,
        HttpClient http,
        CancellationToken cancellation)
    {
        using var load = new LoadGenerator(target.ClientUrl, options, workload.GetQuery);
        await load.RunAsync(cluster.Kind, workload.HttpMethod, options.Warmup, workload.Name, cancellation);
        var loadAverage = LoadAverage.Read().One;
        var before = await SampleAllAsync(cluster, http, cancellation);
        var result = await load.RunAsync(cluster.Kind, workload.HttpMethod, options.Duration, workload.Name, cancellation);
        var after = await SampleAllAsync(cluster, http, cancellation);
        var members = cluster.Members.Select((member, i) => new MemberWindow(
            member.Name,
            member == leader ? "leader" : member == target ? "target follower" : "other follower",
            after[i] - before[i])).ToArray();
        return new ClusterMeasurement(result, loadAverage, members, await cluster.IsLeaderAsync(leader, cancellation));
    }

    private static async Task<MemberCounters[]> SampleAllAsync(BenchmarkCluster cluster, HttpClient http, CancellationToken cancellation)
    {
        var samples = new MemberCounters[cluster.Members.Count];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = await MemberCounters.SampleAsync(cluster.Members[i], http, cancellation);
        }

        return samples;
    }
}
