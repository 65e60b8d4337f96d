namespace KvDirectory.Benchmarks.Cluster;

/// <summary>The measured windows of one contender's turn in one round: its warm cluster, or a fresh one per cold window.</summary>
public sealed class ClusterWindows(
    Single.ServerVariant variant, ClusterSeed seed, BenchmarkOptions options, int round, HttpClient http, CancellationToken cancellation)
{
    public async Task<IReadOnlyList<ClusterMeasurement>> WarmAsync()
    {
        var measurements = new List<ClusterMeasurement>();
        await using var cluster = await BenchmarkCluster.StartAsync(variant, options.Timings, seed, cancellation);
        var leader = await cluster.WaitForLeaderAsync(cancellation);
        foreach (var workload in options.ClusterWorkloads)
        {
            measurements.Add(await MeasureAsync(cluster, leader, workload, "warm", options.Warmup));
        }

        return measurements;
    }

    public async Task<IReadOnlyList<ClusterMeasurement>> ColdAsync()
    {
        var measurements = new List<ClusterMeasurement>();
        foreach (var workload in options.ClusterWorkloads)
        {
            await using var cluster = await BenchmarkCluster.StartAsync(variant, options.Timings, seed, cancellation);
            var leader = await cluster.WaitForLeaderAsync(cancellation);
            measurements.Add(await MeasureAsync(cluster, leader, workload, "cold", options.ColdWarmup));
        }

        return measurements;
    }

    private async Task<ClusterMeasurement> MeasureAsync(BenchmarkCluster cluster, BenchmarkMember leader, ClusterWorkload workload, string mode, TimeSpan warmup)
    {
        var target = workload.ViaLeader ? leader : cluster.Members.First(m => m != leader);
        using var load = new LoadGenerator(target.ClientUrl, options, workload.GetQuery);
        await load.RunAsync(cluster.Kind, workload.HttpMethod, warmup, workload.Name, cancellation);
        var loadAverage = LoadAverage.Read().One;
        var before = await SampleAllAsync(cluster);
        var result = await load.RunAsync(cluster.Kind, workload.HttpMethod, options.Duration, workload.Name, cancellation);
        var leaderUnchanged = await cluster.IsLeaderAsync(leader, cancellation);
        await Task.Delay(options.CpuTail, cancellation);
        var after = await SampleAllAsync(cluster);
        var members = cluster.Members.Select((member, i) => new MemberWindow(
            member.Name,
            member == leader ? "leader" : member == target ? "target follower" : "other follower",
            after[i] - before[i])).ToArray();
        var measurement = new ClusterMeasurement(mode, round, result, loadAverage, members, leaderUnchanged);
        Console.WriteLine(ClusterReport.Row(measurement));
        return measurement;
    }

    private async Task<MemberCounters[]> SampleAllAsync(BenchmarkCluster cluster)
    {
        var samples = new MemberCounters[cluster.Members.Count];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = await MemberCounters.SampleAsync(cluster.Members[i], http, cancellation);
        }

        return samples;
    }
}
