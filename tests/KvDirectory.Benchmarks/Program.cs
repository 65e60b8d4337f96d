using KvDirectory.Benchmarks;
using KvDirectory.Benchmarks.Cluster;
using KvDirectory.Benchmarks.Single;

// Each server alone on the machine for its turn (never both at once: they would share the two cores); see the README.
// --config-propagation: write → IOptionsMonitor callback latency of the configuration provider (its own run).
if (args.Contains("--config-propagation"))
{
    return await ConfigurationPropagationBenchmark.RunAsync();
}

// --snapshot-stall: how long taking a snapshot stops the node's thread, in process (its own run).
if (args.Contains("--snapshot-stall"))
{
    var rest = args.Where(a => a != "--snapshot-stall").ToArray();
    string? Value(string name) => Array.IndexOf(rest, name) is var i and >= 0 && i + 1 < rest.Length ? rest[i + 1] : null;
    return SnapshotStallBenchmark.Run(int.Parse(Value("--keys") ?? "1000000", System.Globalization.CultureInfo.InvariantCulture), int.Parse(Value("--value-bytes") ?? "64", System.Globalization.CultureInfo.InvariantCulture));
}

var options = BenchmarkOptions.Parse(args);
if (options.Million)
{
    return await MillionKeysBenchmark.RunAsync(options);
}

if (options.Cluster)
{
    return await ClusterBenchmark.RunAsync(options);
}

return await SingleNodeBenchmark.RunAsync(options);
