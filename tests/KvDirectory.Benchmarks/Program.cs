using KvDirectory.Benchmarks;
using KvDirectory.Benchmarks.Cluster;
using KvDirectory.Benchmarks.Single;

// Each server alone on the machine for its turn (never both at once: they would share the two cores); see the README.
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

return await SingleNodeBenchmark.RunAsync(options);
