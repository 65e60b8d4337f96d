using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KvDirectory.Client;
using KvDirectory.Cluster.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Extensions.Configuration.Tests;

/// <summary>Startup without a cluster: the timeout bound, the last-known-good cache and the switch back to live data.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"kvdirectory-config-{Guid.NewGuid():N}");

    private string CacheFile => Path.Combine(_dir, "cache", "config.json");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Starts_from_the_cache_with_a_warning_when_the_cluster_is_down_then_switches_to_live_data()
    {
        var member = new ThreeNodeMember("solo", Path.Combine(_dir, "data"));
        var initialCluster = $"solo={member.PeerUrl}";
        try
        {
            member.Start(initialCluster, []);
            using var writer = new EtcdClient(new EtcdClientOptions { Endpoints = [member.ClientUrl], MaxRetryAttempts = 50 });
            await Await.UntilAsync(() => Reachable(writer), "the server to start");
            await writer.Keys.SetAsync("/config/app/Mode", "cached");
            await writer.Keys.SetAsync("/config/app/Secrets/Password", "hunter2");
            using (Build(member.ClientUrl, null))
            {
                File.Exists(CacheFile).Should().BeTrue("a successful load writes the cache");
            }

            var cacheText = await File.ReadAllTextAsync(CacheFile);
            cacheText.Should().Contain("cached").And.NotContain("hunter2", "excluded keys never reach the disk");
            cacheText.Should().Contain("\"etcdIndex\"").And.Contain("\"checksum\"");

            await member.KillAsync();
            var logs = new CollectingLoggerProvider();
            using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
            using var configuration = Build(member.ClientUrl, loggers);
            configuration["Mode"].Should().Be("cached");
            configuration["Secrets:Password"].Should().BeNull();
            var provider = configuration.GetKvDirectoryProviders().Single();
            provider.Status.Source.Should().Be(ConfigurationDataSource.Cache);
            logs.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Event.Id == 7202 && e.Message.Contains(" ago at index ", StringComparison.Ordinal));
            (await HealthAsync(configuration)).Should().Be(HealthStatus.Degraded);

            member.Start(initialCluster, []);
            await Await.UntilAsync(() => Reachable(writer), "the server to come back");
            await writer.Keys.SetAsync("/config/app/Mode", "live");
            await Await.UntilAsync(configuration, () => configuration["Mode"] == "live", "live data");
            configuration["Secrets:Password"].Should().Be("hunter2", "live data has every key");
            provider.Status.Source.Should().Be(ConfigurationDataSource.Live);
            (await HealthAsync(configuration)).Should().Be(HealthStatus.Healthy);

            // Live values whose cluster stopped answering are stale.
            await member.KillAsync();
            (await HealthAsync(configuration)).Should().Be(HealthStatus.Degraded);
            configuration["Mode"].Should().Be("live", "the last live values stay in use");
        }
        finally
        {
            await member.KillAsync();
        }
    }

    [Fact]
    public void The_startup_timeout_bounds_the_wait_on_an_unresponsive_cluster()
    {
        // Accepts connections and never answers: the worst case, worse than a refused connection.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(100);
        var endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");
        var watch = Stopwatch.StartNew();
        var act = () => Build(endpoint, null, o => { o.StartupTimeout = TimeSpan.FromSeconds(1); o.RequestTimeout = TimeSpan.FromSeconds(30); o.CacheFile = null; });
        act.Should().Throw<KvDirectoryConfigurationException>().WithMessage("*startup timeout*");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "liveness bound only: the timeout is 1 s, the request timeout 30 s");

        using var optional = Build(endpoint, null, o => { o.StartupTimeout = TimeSpan.FromSeconds(1); o.Optional = true; o.CacheFile = null; o.ReloadOnChange = false; });
        optional.AsEnumerable().Should().BeEmpty();
        optional.GetKvDirectoryProviders().Single().Status.Source.Should().Be(ConfigurationDataSource.None);
    }

    [Fact]
    public void A_tampered_or_too_old_cache_is_refused()
    {
        var dead = new Uri($"http://127.0.0.1:{KvDirectory.Testing.FreePort.Next()}");
        var clock = new ManualClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var cache = new LastKnownGoodCache(CacheFile, "/config/app", [], clock);
        cache.Save([new("A", "1", "/config/app/A", 5)], 5);

        clock.Now += TimeSpan.FromHours(2);
        using (var accepted = Build(dead, null, o => { o.TimeProvider = clock; o.CacheMaxAge = TimeSpan.FromHours(3); o.ReloadOnChange = false; }))
        {
            accepted["A"].Should().Be("1");
        }

        var tooOld = () => Build(dead, null, o => { o.TimeProvider = clock; o.CacheMaxAge = TimeSpan.FromHours(1); });
        tooOld.Should().Throw<KvDirectoryConfigurationException>().WithMessage("*old*");

        File.WriteAllText(CacheFile, File.ReadAllText(CacheFile).Replace("\"1\"", "\"2\"", StringComparison.Ordinal));
        var tampered = () => Build(dead, null, o => o.TimeProvider = clock);
        tampered.Should().Throw<KvDirectoryConfigurationException>().WithMessage("*checksum*");
    }

    private ConfigurationRoot Build(Uri endpoint, ILoggerFactory? loggers, Action<KvDirectoryConfigurationOptions>? configure = null) =>
        (ConfigurationRoot)new ConfigurationBuilder().AddKvDirectory(o =>
        {
            o.Endpoints = [endpoint];
            o.Prefix = "/config/app";
            o.CacheFile = CacheFile;
            o.ExcludeFromCache = ["Secrets"];
            o.StartupTimeout = TimeSpan.FromSeconds(3);
            o.LoggerFactory = loggers;
            configure?.Invoke(o);
        }).Build();

    private static bool Reachable(EtcdClient client)
    {
        try
        {
            client.CheckReachableAsync().GetAwaiter().GetResult();
            return true;
        }
        catch (ClusterException)
        {
            return false;
        }
    }

    private static async Task<HealthStatus> HealthAsync(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        services.AddHealthChecks().AddKvDirectoryConfiguration();
        await using var provider = services.BuildServiceProvider();
        return (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status;
    }
}
