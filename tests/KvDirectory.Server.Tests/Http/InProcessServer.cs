using System.Net.Http.Json;
using KvDirectory.Protocol;
using KvDirectory.Server.Hosting;
using KvDirectory.Testing;
using Microsoft.AspNetCore.Builder;

namespace KvDirectory.Server.Tests.Http;

/// <summary>Our server hosted in the test process on a free port, with its own temporary data dir.</summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDir;

    private InProcessServer(WebApplication app, Uri baseAddress, string dataDir)
    {
        _app = app;
        _dataDir = dataDir;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public static async Task<InProcessServer> StartAsync(params string[] extraArguments)
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var dataDir = Path.Combine(Path.GetTempPath(), "kvdirectory-test-" + Guid.NewGuid().ToString("N"));
        string[] arguments = ["--listen-client-urls", url, "--data-dir", dataDir, "--initial-advertise-peer-urls", $"http://127.0.0.1:{FreePort.Next()}", .. extraArguments];
        var app = ServerHost.Build(arguments);
        await app.StartAsync();
        return new InProcessServer(app, new Uri(url), dataDir);
    }

    public async Task<long> WatcherCountAsync()
    {
        var stats = await Client.GetFromJsonAsync("/v2/stats/store", ProtocolJsonContext.Default.StoreStatistics);
        return stats!.Watchers;
    }

    /// <summary>Polls the watcher count until it reaches the expected value; a watch registration has no other outside signal.</summary>
    public async Task WaitForWatcherCountAsync(long expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long current;
        while ((current = await WatcherCountAsync()) != expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"watchers stayed at {current}, expected {expected}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>One unlabelled sample of <c>/metrics</c> (a gauge such as <c>kvdirectory_http_open_connections</c>).</summary>
    public async Task<double> MetricAsync(string name)
    {
        var text = await Client.GetStringAsync("/metrics");
        var line = text.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls a <c>/metrics</c> gauge until it reaches the expected value (what the server frees has no other outside signal).</summary>
    public async Task WaitForMetricAsync(string name, double expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        double current;
        while ((current = await MetricAsync(name)) != expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{name} stayed at {current}, expected {expected}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
