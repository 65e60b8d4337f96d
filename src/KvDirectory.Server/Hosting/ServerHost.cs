using System.Net;
using KvDirectory.Node;
using KvDirectory.Node.Membership;
using KvDirectory.Node.Metrics;
using KvDirectory.Node.Snapshots;
using KvDirectory.Node.Statistics;
using KvDirectory.Server.Auth;
using KvDirectory.Server.Configuration;
using KvDirectory.Server.Endpoints;
using KvDirectory.Server.Explorer;
using KvDirectory.Server.Http;
using KvDirectory.Server.Keys;
using KvDirectory.Server.Metrics;
using KvDirectory.Server.OpenApi;
using KvDirectory.Store;
using KvDirectory.Transport;
using KvDirectory.Transport.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KvDirectory.Server.Hosting;

/// <summary>Builds the whole server from etcd-style flags; used by Program and by in-process tests alike.</summary>
public static partial class ServerHost
{
    /// <summary>The host argument that keeps configuration files from being watched (see <see cref="Build"/>).</summary>
    public const string NoConfigurationReload = "--hostBuilder:reloadConfigOnChange=false";

    public static WebApplication Build(string[] args)
    {
        args = BooleanFlags.Normalize(args);
        // No appsettings.json is read for changes: watching for one put an inotify watch on every directory under the
        // working directory, the data dir included when it lies there (./data by default), so every WAL write woke a
        // file-watcher thread (3 % of the server's CPU under PUT load).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [.. args, NoConfigurationReload] });
        builder.Configuration.AddInMemoryCollection(EtcdEnvironmentVariables.Read(Environment.GetEnvironmentVariables()));
        builder.Configuration.AddCommandLine(args);

        var options = builder.Configuration.Get<ServerOptions>() ?? new ServerOptions();
        var limits = builder.Configuration.Get<RequestLimitOptions>() ?? new RequestLimitOptions();
        builder.Services.AddOptions<ServerOptions>().Bind(builder.Configuration);
        builder.Services.AddOptions<RequestLimitOptions>().Bind(builder.Configuration).ValidateOnStart();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.UseUtcTimestamp = true;
        });
        // One line per request is noise at this volume; request counts live in /metrics.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Hosting starts an Activity and a log scope for every request while this category logs at any level (it only
        // logs request lines and startup errors, which end the process anyway): a few % of a GET's CPU for nothing.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        var tls = ServerTls.Load(options);
        ConfigureKestrel(builder.WebHost, options, limits, tls);
        AddServices(builder.Services, options);
        builder.Services.AddKvDirectoryOpenApi();
        builder.Services.AddSingleton(tls);

        var app = builder.Build();
        tls.LogStartup(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KvDirectory.Server.Tls"));

        // The node opens its data dir before the server listens, and closes it only after the server has
        // stopped and drained in-flight requests: no acknowledged write is left unflushed.
        var node = app.Services.GetRequiredService<ReplicatedNode>();
        var transport = app.Services.GetRequiredService<PeerTransportSlot>();
        // Parked watches end first, or Kestrel's graceful stop waits its whole timeout for them. A leader that stops
        // gracefully then hands leadership over: the cluster need not wait an election timeout.
        var store = app.Services.GetRequiredService<V2Store>();
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            store.EndWatches();
            node.HandOverLeadership(TimeSpan.FromMilliseconds(3 * options.ElectionTimeoutMilliseconds));
        });
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            // Peers first: nothing new reaches the node while it drains and closes its files.
            transport.Transport?.Dispose();
            node.Dispose();
        });

        app.UseMiddleware<HttpMetricsMiddleware>();
        app.UseMiddleware<GoPathDecodingMiddleware>();
        app.UseMiddleware<CorsMiddleware>();
        app.UseMiddleware<GoPathMiddleware>();
        app.UseKeysEndpoints();
        // Routing only for what the keys endpoints did not answer, matched on the decoded path.
        app.UseRouting();
        app.UseMiddleware<ExactRouteLiteralsMiddleware>();
        app.MapMembersEndpoints();
        app.MapStatsEndpoints();
        app.MapServerInfoEndpoints();
        app.MapAuthEndpoints();
        app.MapMetricsEndpoints();
        app.MapAdminEndpoints();
        app.MapKvDirectoryOpenApi();
        app.MapExplorerEndpoints();
        app.MapFallback((HttpContext context) => EtcdResponses.WriteTextErrorAsync(context, StatusCodes.Status404NotFound, "404 page not found"));
        return app;
    }

    private static void ConfigureKestrel(IWebHostBuilder webHost, ServerOptions options, RequestLimitOptions limits, ServerTls tls)
    {
        ClientPortCheck.ThrowIfTaken(options.ListenClientUrlList);
        webHost.UseUrls([.. options.ListenClientUrlList]);
        if (tls.Client is { } client)
        {
            // The slim builder leaves https URLs out unless asked; the certificate is chosen per handshake so a
            // rotated file is served without a restart.
            webHost.UseKestrelHttpsConfiguration();
            webHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificateSelector = (_, _) => client.Certificate;
                https.ClientCertificateMode = client.Files.RequiresClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate;
                https.ClientCertificateValidation = (certificate, _, errors) => client.Accepts(certificate, errors, checkName: false);
            }));
        }

        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            KestrelLimits.Apply(kestrel.Limits, options, limits);
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
            {
                var metrics = listen.ApplicationServices.GetRequiredService<ServerMetrics>();
                metrics.ConnectionOpened();
                try
                {
                    await next(connection);
                }
                finally
                {
                    metrics.ConnectionClosed();
                }
            }));
        });
    }

    private static NodeOptions NodeOptions(ServerOptions options, ClusterState initial, Func<ClusterState>? membersFromPeers, Action onRemoved) => new()
    {
        DataDir = options.DataDir,
        InitialCluster = initial,
        JoinExisting = membersFromPeers is not null,
        MembersFromPeers = membersFromPeers,
        HeartbeatIntervalMilliseconds = options.HeartbeatIntervalMilliseconds,
        ElectionTimeoutMilliseconds = options.ElectionTimeoutMilliseconds,
        RequestTimeout = TimeSpan.FromMilliseconds(options.RequestTimeoutMilliseconds),
        SnapshotCount = options.SnapshotCount,
        SnapshotCatchUpEntries = options.SnapshotCatchUpEntries,
        MaxSnapshots = options.MaxSnapshots,
        MaxWals = options.MaxWals,
        CheckQuorum = !options.DisableCheckQuorum,
        OnRemoved = onRemoved,
    };

    private static void AddServices(IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ClusterStateHolder(InitialCluster.Build(options)));
        services.AddSingleton<NodeInfo>();
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<NodeMetrics>();
        services.AddSingleton<RaftStatistics>();
        services.AddSingleton(provider => new V2Store(
            new StoreOptions { EventHistoryCapacity = options.EventHistory, ListingCacheBytes = options.ListingCacheBytes },
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PeerTransportSlot>();
        services.AddSingleton<PasswordVerifier>();
        services.AddSingleton<AuthRegistry>();
        services.AddSingleton<AuthGate>();
        services.AddSingleton(provider => StartNode(provider, options));
        services.AddSingleton<ICommandLog>(provider => provider.GetRequiredService<ReplicatedNode>());
        services.AddSingleton<IMembershipLog>(provider => provider.GetRequiredService<ReplicatedNode>());
        services.AddHostedService<TtlSweeper>();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.AddSingleton<IValidateOptions<RequestLimitOptions>, RequestLimitOptionsValidator>();
        services.AddSingleton<WatchLimiter>();
        services.AddSingleton<WatchDispatcher>();
    }

    private static ReplicatedNode StartNode(IServiceProvider provider, ServerOptions options)
    {
        var holder = provider.GetRequiredService<ClusterStateHolder>();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("KvDirectory.Node");
        if (options.RestoreFrom.Length > 0)
        {
            var index = BackupRestore.PrepareDataDir(options.RestoreFrom, options.DataDir, holder.Current.LocalMemberId);
            LogRestored(logger, options.DataDir, options.RestoreFrom, index);
        }

        var peerTls = provider.GetRequiredService<ServerTls>().Peer is { } peer ? PeerTls.Wrapper(peer) : null;
        var fromFlags = holder.Current;
        // Asked only when the data dir records no member yet (the node decides: a restart normally needs nobody).
        Func<ClusterState>? membersFromPeers = string.Equals(options.InitialClusterState, "existing", StringComparison.Ordinal)
            ? () => JoinExistingCluster(options, fromFlags, logger, peerTls)
            : null;
        var lifetime = provider.GetRequiredService<IHostApplicationLifetime>();
        var node = NodeOpener.Open(
            provider.GetRequiredService<V2Store>(),
            NodeOptions(options, fromFlags, membersFromPeers, () => Task.Run(lifetime.StopApplication)) with
            {
                Statistics = provider.GetRequiredService<RaftStatistics>(),
            },
            holder,
            provider.GetRequiredService<NodeMetrics>(),
            logger);
        var transport = CreateTransport(provider, options, holder.Current, peerTls);
        if (holder.Current.Members.Count > 1)
        {
            transport.Bind();
        }

        provider.GetRequiredService<PeerTransportSlot>().Transport = transport;
        node.Start(transport);
        transport.Start(node.PeerSink);
        return node;
    }

    /// <summary>A new member of a running cluster learns its id and the members from them, and keeps its own name and client URLs.</summary>
    private static ClusterState JoinExistingCluster(
        ServerOptions options,
        ClusterState fromFlags,
        ILogger logger,
        Func<System.Net.Sockets.NetworkStream, string?, CancellationToken, ValueTask<Stream>>? wrapStream)
    {
        var others = fromFlags.Members.Where(m => m.Id != fromFlags.LocalMemberId).SelectMany(m => m.PeerUrls).ToArray();
        var joined = ClusterJoiner.Join(others, options.AdvertisePeerUrlList, TimeSpan.FromSeconds(30), logger, wrapStream);
        var self = fromFlags.LocalMember;
        LogJoining(logger, joined.LocalMemberId, joined.ClusterId, joined.Members.Count);
        return joined with
        {
            Members = [.. joined.Members.Select(m => m.Id == joined.LocalMemberId ? m with { Name = self.Name, ClientUrls = self.ClientUrls } : m)],
        };
    }

    /// <summary>
    /// Every node has a transport: a single member dials nobody and opens its peer port only when a second member is added.
    /// </summary>
    private static PeerTransport CreateTransport(
        IServiceProvider provider,
        ServerOptions options,
        ClusterState cluster,
        Func<System.Net.Sockets.NetworkStream, string?, CancellationToken, ValueTask<Stream>>? peerTls)
    {
        var overrides = PeerDialOverride.Parse(options.PeerDialOverride);
        // As etcd, every --listen-peer-urls entry is listened on, each TLS or not by its own scheme.
        var listeners = options.ListenPeerUrlList.Count > 0
            ? options.ListenPeerUrlList.Select(url => new PeerListener(ListenEndPoint(url), PeerEndpoint.IsTls(url))).ToArray()
            : throw new InvalidOperationException("--listen-peer-urls is empty; give the address other members reach this one at");
        var local = cluster.LocalMember;
        var transportOptions = new PeerTransportOptions
        {
            LocalHandshake = new PeerHandshake(local.Id, cluster.ClusterId, local.Name, local.ClientUrls),
            ListenAddress = listeners[0].Address,
            ListenTls = listeners[0].Tls,
            MoreListeners = listeners[1..],
            DialOverrides = overrides,
            Traffic = provider.GetRequiredService<ServerMetrics>().Peers,
            MemberList = () => ClusterStateCodec.Encode(provider.GetRequiredService<ClusterStateHolder>().Current),
        };
        return new PeerTransport(
            peerTls is null ? transportOptions : transportOptions with { WrapStream = peerTls },
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("KvDirectory.Transport.PeerTransport"));
    }

    private static IPEndPoint ListenEndPoint(string url)
    {
        var listen = PeerDialOverride.FromUrl(url);
        var address = IPAddress.TryParse(listen.Host, out var ip) ? ip
            : listen.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.Any;
        return new IPEndPoint(address, listen.Port);
    }

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Joining the existing cluster {ClusterId:x} as member {MemberId:x} ({Count} members)")]
    private static partial void LogJoining(ILogger logger, ulong memberId, ulong clusterId, int count);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Seeded {DataDir} from backup {Backup} (etcd index {Index})")]
    private static partial void LogRestored(ILogger logger, string dataDir, string backup, long index);
}
