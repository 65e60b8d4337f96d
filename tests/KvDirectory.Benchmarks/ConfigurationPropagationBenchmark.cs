using System.Diagnostics;
using System.Globalization;
using KvDirectory.Client;
using KvDirectory.Cluster.Tests;
using KvDirectory.Extensions.Configuration;
using KvDirectory.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KvDirectory.Benchmarks;

/// <summary>
/// <c>--config-propagation</c>: how long a write takes to reach an app, measured from the PUT being sent to the
/// <c>IOptionsMonitor.OnChange</c> callback that carries its value, over 200 changes one after another, against a single
/// node and a three-member cluster (the provider reads from a follower where it can). The default 100 ms debounce is
/// included, as an app would see it. Target: p99 under 250 ms.
/// </summary>
public static class ConfigurationPropagationBenchmark
{
    private const int Changes = 200;
    private const string Prefix = "/bench/config";

    public static async Task<int> RunAsync()
    {
        var rows = new List<(string Setup, double P50, double P99, double Max)>();
        await using (var single = await ServerProcess.StartKvDirectoryAsync())
        {
            rows.Add(Summarise("single node", await MeasureAsync([single.ClientUrl], single.ClientUrl)));
        }

        await using (var cluster = await ThreeNodeCluster.StartAsync())
        {
            var leader = await cluster.WaitForLeaderAsync();
            var followersFirst = cluster.Members.OrderBy(m => m == leader).Select(m => m.ClientUrl).ToList();
            rows.Add(Summarise("3-member cluster", await MeasureAsync(followersFirst, leader.ClientUrl)));
        }

        Console.WriteLine($"write -> IOptionsMonitor.OnChange over {Changes} changes (debounce 100 ms included)");
        Console.WriteLine($"{"setup",-18} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var (setup, p50, p99, max) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{setup,-18} {p50,8:F1} {p99,8:F1} {max,8:F1}"));
        }

        return 0;
    }

    private static async Task<List<double>> MeasureAsync(IList<Uri> providerEndpoints, Uri writerEndpoint)
    {
        using var writer = new EtcdClient(new EtcdClientOptions { Endpoints = [writerEndpoint], RequestTimeout = TimeSpan.FromSeconds(10) });
        await writer.Keys.SetAsync(Prefix + "/Value", "-1");
        var configuration = (ConfigurationRoot)new ConfigurationBuilder().AddKvDirectory(o =>
        {
            o.Endpoints = providerEndpoints;
            o.Prefix = Prefix;
        }).Build();
        using (configuration)
        {
            var services = new ServiceCollection();
            services.Configure<Settings>(configuration);
            await using var provider = services.BuildServiceProvider();
            var monitor = provider.GetRequiredService<IOptionsMonitor<Settings>>();
            TaskCompletionSource<long>? arrived = null;
            var expected = -1;
            using var listening = monitor.OnChange(settings =>
            {
                if (settings.Value == Volatile.Read(ref expected))
                {
                    arrived?.TrySetResult(Stopwatch.GetTimestamp());
                }
            });

            var latencies = new List<double>(Changes);
            for (var i = 0; i < Changes; i++)
            {
                arrived = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref expected, i);
                var sent = Stopwatch.GetTimestamp();
                await writer.Keys.SetAsync(Prefix + "/Value", i.ToString(CultureInfo.InvariantCulture));
                var at = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
                latencies.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
            }

            return latencies;
        }
    }

    private static (string, double, double, double) Summarise(string setup, List<double> latencies)
    {
        latencies.Sort();
        double At(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        return (setup, At(0.50), At(0.99), latencies[^1]);
    }

    private sealed class Settings
    {
        public int Value { get; set; }
    }
}
