using System.Globalization;
using KvDirectory.Benchmarks.Single;

namespace KvDirectory.Benchmarks.Cluster;

/// <summary>
/// Three-member clusters of real etcd, of our server and of any --variant (e.g. an older build), each ALONE on the
/// machine for its turn (the others' processes stopped), in rounds that alternate which goes first. Each contender's
/// keys are preloaded once into a seed; every measured cluster starts on a copy of it. Warm: one cluster per round, each
/// workload after a warm-up. Cold: per workload fresh members, measured after a short warm-up once they elect a leader.
/// Workloads: PUT via the leader and via a follower, GET ?quorum=true via a follower and via the leader. Every window
/// counts the three members' CPU until the tail after it. Prints medians over the rounds and ratios, writes JSON.
/// </summary>
public static class ClusterBenchmark
{
    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        ChildProcessReaper.Install();
        var cancellation = ChildProcessReaper.Cancellation;
        var started = DateTimeOffset.UtcNow;
        var jsonPath = options.JsonPath ?? Path.Combine(Path.GetTempPath(), $"kvdirectory-cluster-benchmark-{started:yyyyMMdd-HHmmss}.json");
        var variants = options.Contenders();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cluster mode: 3 members each of {string.Join(", ", variants)}, each alone for its turn; {options.Rounds} rounds of {string.Join('+', options.Modes)}; seed {options.Seed}, {options.Connections} connections, {options.Keys} keys, {options.ValueBytes}-byte values; warm-up {options.Warmup.TotalSeconds}s (cold {options.ColdWarmup.TotalSeconds}s after the leader is elected), {options.Duration.TotalSeconds}s per workload, CPU counted until {options.CpuTail.TotalSeconds}s after; heartbeat {options.Timings.HeartbeatMilliseconds} ms, election {options.Timings.ElectionMilliseconds} ms; {LoadAverage.Describe()}"));

        var seeds = new Dictionary<string, ClusterSeed>();
        var measurements = new List<ClusterMeasurement>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            foreach (var variant in variants)
            {
                seeds[variant.Name] = await PreloadedSeedAsync(variant, options, cancellation);
            }

            Console.WriteLine(ClusterReport.Header);
            for (var round = 1; round <= options.Rounds; round++)
            {
                var order = round % 2 == 1 ? variants : [.. Enumerable.Reverse(variants)];
                foreach (var variant in order)
                {
                    var windows = new ClusterWindows(variant, seeds[variant.Name], options, round, http, cancellation);
                    if (options.Modes.Contains("warm"))
                    {
                        measurements.AddRange(await windows.WarmAsync());
                    }

                    if (options.Modes.Contains("cold"))
                    {
                        measurements.AddRange(await windows.ColdAsync());
                    }
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
            foreach (var seed in seeds.Values)
            {
                seed.Delete();
            }
        }

        var summaries = ClusterSummary.Of(measurements);
        ClusterReport.Print(Console.Out, summaries, [.. variants.Select(v => v.Name)]);
        await ClusterReport.WriteAsync(jsonPath, options, variants, started, measurements, summaries);
        Console.WriteLine($"{LoadAverage.Describe()}; JSON report: {jsonPath}");
        return measurements.Any(m => m.Result.Errors > 0 || !m.LeaderUnchanged) ? 1 : 0;
    }

    /// <summary>A fresh cluster of <paramref name="variant"/>, preloaded through its leader, stopped; its data dirs are the seed.</summary>
    private static async Task<ClusterSeed> PreloadedSeedAsync(ServerVariant variant, BenchmarkOptions options, CancellationToken cancellation)
    {
        var cluster = await BenchmarkCluster.StartAsync(variant, options.Timings, seed: null, cancellation);
        try
        {
            var leader = await cluster.WaitForLeaderAsync(cancellation);
            Console.WriteLine($"{variant.Name}: preloading {options.Keys} keys via the leader {leader.Name}");
            using var load = new LoadGenerator(leader.ClientUrl, options);
            await load.PreloadAsync(cancellation);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return await cluster.KeepDataAsync();
    }
}
