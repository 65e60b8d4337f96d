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
        app.Lifetime.ApplicationStopped.Register(driver.Dispose);

        app.UseMiddleware<HttpMetricsMiddleware>();
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

    private static RaftNodeDriverOptions DriverOptions(ServerOptions options, ClusterState cluster) => cluster.Members.Count > 1
        ? throw new InvalidOperationException(
            $"--initial-cluster names {cluster.Members.Count} members, but this build runs single-member clusters only (the peer transport is not built yet); list only this member")
        : new()
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
        services.AddSingleton(provider => new V2Store(
            new StoreOptions { EventHistoryCapacity = options.EventHistory },
            provider.GetRequiredService<TimeProvider>()));
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

        return RaftNodeDriver.Start(
            provider.GetRequiredService<V2Store>(),
            DriverOptions(options, cluster),
            provider.GetRequiredService<ServerMetrics>(),
            logger);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Seeded {DataDir} from backup {Backup} (etcd index {Index})")]
    private static partial void LogRestored(ILogger logger, string dataDir, string backup, long index);
}
