using KvDirectory.Server.Cluster;
using KvDirectory.Server.CommandLog;
using KvDirectory.Server.Configuration;
using KvDirectory.Server.Endpoints;
using KvDirectory.Server.Http;
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
public static class ServerHost
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

        ConfigureKestrel(builder.WebHost, options);
        AddServices(builder.Services, options);

        var app = builder.Build();
        app.UseMiddleware<CorsMiddleware>();
        app.UseMiddleware<GoPathMiddleware>();
        app.MapKeysEndpoints();
        app.MapMembersEndpoints();
        app.MapStatsEndpoints();
        app.MapServerInfoEndpoints();
        app.MapAuthEndpoints();
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

    private static void AddServices(IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ClusterStateHolder(InitialCluster.Build(options)));
        services.AddSingleton<NodeInfo>();
        services.AddSingleton(provider => new V2Store(
            new StoreOptions { EventHistoryCapacity = options.EventHistory },
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<LocalCommandLog>(provider => new LocalCommandLog(
            provider.GetRequiredService<V2Store>(),
            provider.GetRequiredService<ClusterStateHolder>().Current.LocalMemberId,
            provider.GetRequiredService<ILogger<LocalCommandLog>>()));
        services.AddSingleton<ICommandLog>(provider => provider.GetRequiredService<LocalCommandLog>());
        services.AddHostedService<TtlSweeper>();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
    }
}
