using KvDirectory.Benchmarks;
using KvDirectory.Benchmarks.Cluster;
using KvDirectory.Benchmarks.Single;

// Each server alone on the machine for its turn (never both at once: they would share the two cores); see the README.
var options = BenchmarkOptions.Parse(args);
if (options.Cluster)
{
    return await ClusterBenchmark.RunAsync(options);
}

return await SingleNodeBenchmark.RunAsync(options);
