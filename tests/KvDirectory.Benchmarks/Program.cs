using System.Globalization;
using KvDirectory.Benchmarks;
using KvDirectory.Benchmarks.Cluster;
using KvDirectory.Testing;

// Starts each server in turn (never both at once: they would share the two cores), preloads 10k keys, warms up,
// then measures a PUT and a GET window and prints a table with the ratio ours/etcd.
// --config-propagation: write → IOptionsMonitor callback latency of the configuration provider (its own run).
if (args.Contains("--config-propagation"))
{
    return await ConfigurationPropagationBenchmark.RunAsync();
}

var options = BenchmarkOptions.Parse(args);
if (options.Cluster)
{
    return await ClusterBenchmark.RunAsync(options);
}

Console.WriteLine($"seed {options.Seed}, {options.Connections} connections, {options.Keys} keys, {options.ValueBytes}-byte values, warmup {options.Warmup.TotalSeconds}s, duration {options.Duration.TotalSeconds}s per workload");
var results = new List<WorkloadResult>();
foreach (var kind in options.Servers)
{
    await using var server = options.Target is null ? await ServerProcess.StartAsync(kind) : null;
    var url = server?.ClientUrl ?? options.Target!;
    using var load = new LoadGenerator(url, options);
    Console.WriteLine($"{kind}: preloading {options.Keys} keys at {url}");
    await load.PreloadAsync();
    await load.RunAsync(kind, HttpMethod.Put, options.Warmup);
    results.Add(await load.RunAsync(kind, HttpMethod.Put, options.Duration));
    await load.RunAsync(kind, HttpMethod.Get, options.Warmup);
    results.Add(await load.RunAsync(kind, HttpMethod.Get, options.Duration));
}

Console.WriteLine();
Console.WriteLine($"{"server",-12} {"workload",-9} {"requests",10} {"errors",7} {"req/s",10} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Server,-12} {r.Workload,-9} {r.Requests,10} {r.Errors,7} {r.RequestsPerSecond,10:F0} {r.P50Milliseconds,8:F2} {r.P99Milliseconds,8:F2} {r.MaxMilliseconds,8:F1}"));
}

foreach (var workload in results.Select(r => r.Workload).Distinct())
{
    var etcd = results.FirstOrDefault(r => r.Server == "etcd" && r.Workload == workload);
    var ours = results.FirstOrDefault(r => r.Server == "kvdirectory" && r.Workload == workload);
    if (etcd is not null && ours is not null)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ours/etcd {workload,-9} throughput x{ours.RequestsPerSecond / etcd.RequestsPerSecond:F2}, p50 x{ours.P50Milliseconds / etcd.P50Milliseconds:F2}, p99 x{ours.P99Milliseconds / etcd.P99Milliseconds:F2}"));
    }
}

return results.Any(r => r.Errors > 0) ? 1 : 0;
