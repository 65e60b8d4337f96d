using System.Net;
using KvDirectory.Server.Cluster;
using KvDirectory.Server.CommandLog;
using KvDirectory.Server.Configuration;
using KvDirectory.Server.Endpoints;
using KvDirectory.Server.Http;
using KvDirectory.Server.Metrics;
using KvDirectory.Server.Node;
using KvDirectory.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KvDirectory.Server.Hosting;

/// <summary>Builds the whole server from etcd-style flags; used by Program and by in-process tests alike.</summary>
public static partial class ServerHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddInMemoryCollection(EtcdEnvironmentVariables.Read(Environment.GetEnvironmentVariables()));
        builder.Configuration.AddCommandLine(args);

        var options = builder.Configuration.Get<ServerOptions>() ?? new ServerOptions();
        builder.Services.AddOptions<ServerOptions>().Bind(builder.Configuration);
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.UseUtcTimestamp = true;
        });
        // One line per request is noise at this volume; request counts live in /metrics.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        ConfigureKestrel(builder.WebHost, options);
        AddServices(builder.Services, options);

        var app = builder.Build();

        // The node opens its data dir before the server listens, and closes it only after the server has
        // stopped and drained in-flight requests: no acknowledged write is left unflushed.
        var driver = app.Services.GetRequiredService<RaftNodeDriver>();
        var transport = app.Services.GetService<PeerTransport>();
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            // Peers first: nothing new reaches the driver while it drains and closes its files.
            transport?.Dispose();
            driver.Dispose();
        });

        app.UseMiddleware<HttpMetricsMiddleware>();
        app.UseMiddleware<GoPathDecodingMiddleware>();
        app.UseMiddleware<CorsMiddleware>();
        app.UseMiddleware<GoPathMiddleware>();
        app.MapKeysEndpoints();
        app.MapMembersEndpoints();
        app.MapStatsEndpoints();
        app.MapServerInfoEndpoints();
        app.MapAuthEndpoints();
        app.MapMetricsEndpoints();
        app.MapAdminEndpoints();
        app.MapFallback((HttpContext context) => EtcdResponses.WriteTextErrorAsync(context, StatusCodes.Status404NotFound, "404 page not found"));
        return app;
    }

    private static void ConfigureKestrel(IWebHostBuilder webHost, ServerOptions options)
    {
        webHost.UseUrls([.. options.ListenClientUrlList]);
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            // Watches are long polls: a quiet watch must not be cut by a minimum data rate.
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(10));
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(5);
        });
    }

    private static RaftNodeDriverOptions DriverOptions(ServerOptions options, ClusterState cluster) => new()
    {
        DataDir = options.DataDir,
        MemberId = cluster.LocalMemberId,
        ClusterId = cluster.ClusterId,
        InitialVoters = [.. cluster.Members.Select(m => m.Id)],
        HeartbeatIntervalMilliseconds = options.HeartbeatIntervalMilliseconds,
        ElectionTimeoutMilliseconds = options.ElectionTimeoutMilliseconds,
        RequestTimeout = TimeSpan.FromMilliseconds(options.RequestTimeoutMilliseconds),
        SnapshotCount = options.SnapshotCount,
        SnapshotCatchUpEntries = options.SnapshotCatchUpEntries,
        MaxSnapshots = options.MaxSnapshots,
        MaxWals = options.MaxWals,
    };

    private static void AddServices(IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ClusterStateHolder(InitialCluster.Build(options)));
        services.AddSingleton<NodeInfo>();
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<RaftStatistics>();
        services.AddSingleton(provider => new V2Store(
            new StoreOptions { EventHistoryCapacity = options.EventHistory },
            provider.GetRequiredService<TimeProvider>()));
        if (InitialCluster.Build(options).Members.Count > 1)
        {
            // A single member listens on no peer port at all, exactly as before the transport existed.
            services.AddSingleton(provider => CreateTransport(provider, options));
        }

        services.AddSingleton(provider => StartNode(provider, options));
        services.AddSingleton<ICommandLog>(provider => provider.GetRequiredService<RaftNodeDriver>());
        services.AddHostedService<TtlSweeper>();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
    }

    private static RaftNodeDriver StartNode(IServiceProvider provider, ServerOptions options)
    {
        var cluster = provider.GetRequiredService<ClusterStateHolder>().Current;
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("KvDirectory.Server.Node");
        if (options.RestoreFrom.Length > 0)
        {
            var index = BackupRestore.PrepareDataDir(options.RestoreFrom, options.DataDir, cluster.LocalMemberId);
            LogRestored(logger, options.DataDir, options.RestoreFrom, index);
        }

        var transport = provider.GetService<PeerTransport>();
        var driver = RaftNodeDriver.Start(
            provider.GetRequiredService<V2Store>(),
            DriverOptions(options, cluster) with { Statistics = provider.GetRequiredService<RaftStatistics>() },
            provider.GetRequiredService<ServerMetrics>(),
            logger,
            transport);
        transport?.Start(driver);
        return driver;
    }

    private static PeerTransport CreateTransport(IServiceProvider provider, ServerOptions options)
    {
        var holder = provider.GetRequiredService<ClusterStateHolder>();
        var cluster = holder.Current;
        var overrides = PeerDialOverride.Parse(options.PeerDialOverride);
        var listen = options.ListenPeerUrlList.Count > 0
            ? PeerDialOverride.FromUrl(options.ListenPeerUrlList[0])
            : throw new InvalidOperationException("--listen-peer-urls is empty but --initial-cluster names other members");
        var listenAddress = IPAddress.TryParse(listen.Host, out var ip) ? ip
            : listen.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.Any;
        var local = cluster.LocalMember;
        return new PeerTransport(
            new PeerTransportOptions
            {
                LocalHandshake = new PeerHandshake(local.Id, cluster.ClusterId, local.Name, local.ClientUrls),
                ListenAddress = new IPEndPoint(listenAddress, listen.Port),
                Peers = [.. cluster.Members
                    .Where(m => m.Id != local.Id)
                    .Select(m => new PeerEndpoint(
                        m.Id,
                        m.Name,
                        overrides.TryGetValue(m.Name, out var address) ? address : PeerDialOverride.FromUrl(m.PeerUrls[0])))],
                Traffic = provider.GetRequiredService<ServerMetrics>().Peers,
            },
            holder,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("KvDirectory.Server.Cluster.PeerTransport"));
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Seeded {DataDir} from backup {Backup} (etcd index {Index})")]
    private static partial void LogRestored(ILogger logger, string dataDir, string backup, long index);
}
