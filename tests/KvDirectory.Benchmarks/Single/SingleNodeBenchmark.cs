using System.Globalization;
using KvDirectory.Benchmarks.Cluster;

namespace KvDirectory.Benchmarks.Single;

/// <summary>
/// Each server alone on the machine for its turn (the other stopped), in rounds that alternate which goes first.
/// Warm: one fresh process per round, preloaded, each workload after a long warm-up. Cold: for each workload a fresh
/// process on a copy of a preloaded data dir, measured after a short warm-up (default 1 s) from its first /health.
/// Every window also counts the server's CPU until the tail after it and its idle cores in the second after it.
/// The fan-out's window ends when the server has closed the connections its watchers hung up.
/// </summary>
public static class SingleNodeBenchmark
{
    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        ChildProcessReaper.Install();
        var cancellation = ChildProcessReaper.Cancellation;
        var started = DateTimeOffset.UtcNow;
        var jsonPath = options.JsonPath ?? Path.Combine(Path.GetTempPath(), $"kvdirectory-benchmark-{started:yyyyMMdd-HHmmss}.json");
        var variants = options.Contenders();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"single node: {string.Join(", ", variants)}; {options.Rounds} rounds of {string.Join('+', options.Modes)}; seed {options.Seed}, {options.Connections} connections{(options.Wrk ? " driven by wrk" : "")}, {options.Keys} keys, {options.ValueBytes}-byte values, {options.Watchers} watchers; warm-up {options.Warmup.TotalSeconds}s (cold {options.ColdWarmup.TotalSeconds}s), {options.Duration.TotalSeconds}s per workload, CPU counted until {options.CpuTail.TotalSeconds}s after; {LoadAverage.Describe()}"));
        if (options.Ceiling)
        {
            Console.WriteLine(KestrelCeiling.Note);
        }

        var measurements = new List<SingleMeasurement>();
        var seeds = new Dictionary<string, string>();
        try
        {
            for (var round = 1; round <= options.Rounds; round++)
            {
                var order = round % 2 == 1 ? variants : [.. Enumerable.Reverse(variants)];
                foreach (var variant in order)
                {
                    var runner = new WindowRunner(variant, options, round, measurements, cancellation);
                    if (options.Modes.Contains("warm"))
                    {
                        await runner.WarmAsync();
                    }

                    if (options.Modes.Contains("cold") && options.Target is null)
                    {
                        if (!seeds.TryGetValue(variant.Name, out var seed))
                        {
                            seeds[variant.Name] = seed = await PreloadedDataDirAsync(variant, options, cancellation);
                        }

                        await runner.ColdAsync(seed);
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
            Console.Error.WriteLine($"benchmark failed: {error}");
            return 2;
        }
        finally
        {
            foreach (var seed in seeds.Values)
            {
                SingleNode.DeleteDirectory(Path.GetDirectoryName(seed)!);
            }
        }

        var summaries = SingleSummary.Of(measurements);
        SingleReport.Print(Console.Out, summaries, variants.Select(v => v.Name).ToList(), options.Watchers);
        await SingleReport.WriteAsync(jsonPath, options, variants, started, measurements, summaries);
        Console.WriteLine($"{LoadAverage.Describe()}; JSON report: {jsonPath}");
        return measurements.Any(m => m.Result.Errors > 0) ? 1 : 0;
    }

    /// <summary>A data dir holding the preloaded keys, written by a process of the variant that is then stopped.</summary>
    private static async Task<string> PreloadedDataDirAsync(ServerVariant variant, BenchmarkOptions options, CancellationToken cancellation)
    {
        var node = await SingleNode.StartAsync(variant, copyOf: null, cancellation);
        try
        {
            using (var load = new LoadGenerator(node.ClientUrl, options))
            {
                await load.PreloadAsync(cancellation);
            }

            if (variant.Auth)
            {
                await node.EnableAuthAsync(cancellation);
            }
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return await node.KeepDataAsync();
    }

    /// <summary>The windows of one variant's turn in one round.</summary>
    private sealed class WindowRunner(ServerVariant variant, BenchmarkOptions options, int round, List<SingleMeasurement> measurements, CancellationToken cancellation)
    {
        private static readonly HttpClient Metrics = new() { Timeout = TimeSpan.FromSeconds(30) };

        /// <summary>How long the fan-out's connections may take to close before its idle second starts anyway.</summary>
        private static readonly TimeSpan ConnectionsClosedDeadline = TimeSpan.FromSeconds(30);

        public async Task WarmAsync()
        {
            await using var node = options.Target is { } target ? SingleNode.Existing(target) : await SingleNode.StartAsync(variant, copyOf: null, cancellation);
            using (var preload = new LoadGenerator(node.ClientUrl, options))
            {
                await preload.PreloadAsync(cancellation);
            }

            if (variant.Auth)
            {
                await node.EnableAuthAsync(cancellation);
            }

            using var load = new LoadGenerator(node.ClientUrl, options, authorization: node.Authorization);
            foreach (var workload in options.Workloads.Where(w => KestrelCeiling.Measures(variant, w)))
            {
                await MeasureAsync(node, load, workload, "warm", options.Warmup);
            }
        }

        public async Task ColdAsync(string seed)
        {
            foreach (var workload in options.Workloads.Where(w => KestrelCeiling.Measures(variant, w)))
            {
                await using var node = await SingleNode.StartAsync(variant, seed, cancellation);
                using var load = new LoadGenerator(node.ClientUrl, options, authorization: node.Authorization);
                await MeasureAsync(node, load, workload, "cold", options.ColdWarmup);
            }
        }

        /// <summary>One closed-loop run, by wrk when given, else by the HttpClient generator; with the generator's CPU.</summary>
        private async Task<(WorkloadResult Result, TimeSpan GeneratorCpu)> RunClosedLoopAsync(WrkLoad? wrk, LoadGenerator load, SingleWorkload workload, TimeSpan duration)
        {
            if (wrk is not null)
            {
                return (await wrk.RunAsync(variant.Name, workload, duration, cancellation), wrk.LastCpu);
            }

            var before = Environment.CpuUsage.TotalTime;
            return (await load.RunAsync(variant.Name, workload.Name, workload.Requests(load, options.Keys), duration, cancellation), Environment.CpuUsage.TotalTime - before);
        }

        private async Task MeasureAsync(SingleNode node, LoadGenerator load, SingleWorkload workload, string mode, TimeSpan warmup)
        {
            WorkloadResult result;
            double cpuBefore;
            double loadAverage;
            MemberCounters walBefore;
            TimeSpan generatorCpu;
            var fanOut = FanOutCpu.None;
            if (workload == SingleWorkload.Watch)
            {
                // Warmed by smaller fan-outs for as long as the warm-up lasts (at least one).
                var descriptors = node.OpenDescriptors();
                var until = DateTime.UtcNow + warmup;
                do
                {
                    await WatchFanOut.RunAsync(variant.Name, node, Math.Min(options.Watchers, 1_000), cancellation);
                }
                while (DateTime.UtcNow < until);

                await node.WaitForDescriptorsAsync(descriptors, ConnectionsClosedDeadline, cancellation);
                loadAverage = LoadAverage.Read().One;
                walBefore = await node.CountersAsync(Metrics, cancellation);
                cpuBefore = node.CpuSeconds();
                (result, fanOut) = await WatchFanOut.RunAsync(variant.Name, node, options.Watchers, cancellation);
                generatorCpu = TimeSpan.FromSeconds(fanOut.GeneratorSeconds);

                // The load ends when the server has closed its 10,000 connections, which the generator hung up on
                // returning: that work is counted in the CPU per request, and the idle second starts after it.
                await node.WaitForDescriptorsAsync(descriptors, ConnectionsClosedDeadline, cancellation);
            }
            else
            {
                using var wrk = options.Wrk ? new WrkLoad(node.ClientUrl, options) : null;
                await RunClosedLoopAsync(wrk, load, workload, warmup);
                loadAverage = LoadAverage.Read().One;
                walBefore = await node.CountersAsync(Metrics, cancellation);
                cpuBefore = node.CpuSeconds();
                (result, generatorCpu) = await RunClosedLoopAsync(wrk, load, workload, options.Duration);
            }

            var stopped = node.CpuSeconds();
            var generatorCores = generatorCpu.TotalSeconds / result.Elapsed.TotalSeconds;
            var wal = await node.CountersAsync(Metrics, cancellation) - walBefore;
            var stoppedAt = DateTime.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            var idle = (node.CpuSeconds() - stopped) / (DateTime.UtcNow - stoppedAt).TotalSeconds;
            var rest = options.CpuTail - (DateTime.UtcNow - stoppedAt);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, cancellation);
            }

            var measurement = new SingleMeasurement(
                variant.Name, mode, round, result, node.CpuSeconds() - cpuBefore, idle, loadAverage, node.StartSeconds, node.StartCpuSeconds, node.RssMegabytes(), wal, generatorCores, fanOut);
            measurements.Add(measurement);
            Console.WriteLine(SingleReport.Row(measurement));
            if (workload == SingleWorkload.Watch)
            {
                Console.WriteLine(SingleReport.FanOutRow(measurement.Variant, measurement.Result.Requests, fanOut));
            }
        }
    }
}
