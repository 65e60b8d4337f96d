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
    return SnapshotStallBenchmark.Run(Number("--keys", 1_000_000), Number("--value-bytes", 64));
}

// --tree-memory: the managed heap of the v2 tree written and restored from its snapshot, in process (its own run).
if (args.Contains("--tree-memory"))
{
    return TreeMemoryBenchmark.Run(Number("--keys", 1_000_000), Number("--value-bytes", 64));
}

if (args is ["--help" or "-h"])
{
    Console.WriteLine($"KvDirectory.Benchmarks: each server alone on the machine for its turn; {BenchmarkOptions.KnownArguments}");
    return 0;
}

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

if (options.Million)
{
    return await MillionKeysBenchmark.RunAsync(options);
}

if (options.Cluster)
{
    return await ClusterBenchmark.RunAsync(options);
}

return await SingleNodeBenchmark.RunAsync(options);

int Number(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
