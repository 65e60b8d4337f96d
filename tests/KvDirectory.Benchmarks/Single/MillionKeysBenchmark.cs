using System.Diagnostics;
using System.Globalization;
using KvDirectory.Benchmarks.Cluster;

namespace KvDirectory.Benchmarks.Single;

/// <summary>
/// <c>--million</c>: each server alone loads <c>--keys</c> (default 1,000,000) keys of <c>--value-bytes</c> (default 64)
/// through HTTP, then is killed and restarted on its data dir (the snapshot taken at the default --snapshot-count plus
/// the WAL after it). Reported per server: load rate, RSS after loading (after the CPU tail), the restart's time to
/// /health and to the first answered GET of a loaded key (restart to serving), and the RSS once it served.
/// </summary>
public static class MillionKeysBenchmark
{
    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        ChildProcessReaper.Install();
        var cancellation = ChildProcessReaper.Cancellation;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"million keys: {options.Keys} keys, {options.ValueBytes}-byte values, {options.Connections} connections; {LoadAverage.Describe()}"));
        Console.WriteLine($"{"server",-14} {"load s",7} {"req/s",7} {"rss MB",7} {"restart→health s",17} {"restart→GET s",14} {"restart cpu s",14} {"rss after MB",13} {"load",5}");
        var variants = options.Contenders();
        foreach (var variant in variants)
        {
            string? dataDir = null;
            try
            {
                var loadAverage = LoadAverage.Read().One;
                var node = await SingleNode.StartAsync(variant, copyOf: null, cancellation);
                var loading = Stopwatch.StartNew();
                using (var load = new LoadGenerator(node.ClientUrl, options))
                {
                    await load.PreloadAsync(cancellation);
                }

                var loadSeconds = loading.Elapsed.TotalSeconds;
                await Task.Delay(options.CpuTail, cancellation);
                var rssLoaded = node.RssMegabytes();
                dataDir = await node.KeepDataAsync();

                await using var restarted = await SingleNode.StartAsync(variant, dataDir, cancellation);
                var serving = await FirstGetSecondsAsync(restarted, options.Keys - 1, cancellation);
                await Task.Delay(options.CpuTail, cancellation);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{variant.Name,-14} {loadSeconds,7:F0} {options.Keys / loadSeconds,7:F0} {rssLoaded,7:F0} {restarted.StartSeconds,17:F2} {restarted.StartSeconds + serving,14:F2} {restarted.StartCpuSeconds,14:F2} {restarted.RssMegabytes(),13:F0} {loadAverage,5:F1}"));
            }
            finally
            {
                if (dataDir is not null)
                {
                    SingleNode.DeleteDirectory(Path.GetDirectoryName(dataDir)!);
                }
            }
        }

        Console.WriteLine("restart→GET: from the restarted process's start until it answered a GET of the last key loaded; rss after: its resident set the CPU tail after that");
        Console.WriteLine(LoadAverage.Describe());
        return 0;
    }

    /// <summary>Seconds from /health until a GET of <paramref name="key"/> answers 200 (a server may be healthy before it serves).</summary>
    private static async Task<double> FirstGetSecondsAsync(SingleNode node, int key, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(node.ClientUrl, $"/v2/keys/bench/k{key}"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return clock.Elapsed.TotalSeconds;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(10, cancellationToken);
        }
    }
}
