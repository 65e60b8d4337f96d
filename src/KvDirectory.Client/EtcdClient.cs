using System.Diagnostics;
using System.Text.Json;
using KvDirectory.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Client;

/// <summary>
/// A client of an etcd v2 cluster (etcd itself or KvDirectory): keys, members, health and stats,
/// with failover across endpoints. Dispose it to release its connections.
/// </summary>
public sealed class EtcdClient : IDisposable
{
    private readonly EtcdTransport _transport;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();

    public EtcdClient(EtcdClientOptions options)
        : this(options, httpClients: null, loggerFactory: null)
    {
    }

    /// <param name="httpClients">Gives the HttpClient for each request (IHttpClientFactory); null: the client owns one.</param>
    public EtcdClient(EtcdClientOptions options, Func<HttpClient>? httpClients, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<EtcdClient>();
        _transport = new EtcdTransport(options, httpClients, _logger);
        Keys = new KeysApi(_transport, _logger);
        Members = new MembersApi(_transport);
        Auth = new AuthApi(_transport);
        if (options.DiscoveryInterval > TimeSpan.Zero)
        {
            _ = DiscoverEndpointsAsync(options.DiscoveryInterval, _stopping.Token);
        }
    }

    public KeysApi Keys { get; }

    public MembersApi Members { get; }

    /// <summary>Users, roles and enabling auth (<c>/v2/auth</c>).</summary>
    public AuthApi Auth { get; }

    /// <summary>The endpoints requests go to, in failover order.</summary>
    public IReadOnlyList<Uri> Endpoints => _transport.Endpoints;

    /// <summary>Replaces the endpoints with the members' published client URLs, as etcdctl does before each command.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken = default)
    {
        var members = await Members.ListAsync(cancellationToken);
        var urls = members.SelectMany(m => m.ClientUrls).Distinct(StringComparer.Ordinal).Select(u => new Uri(u)).ToList();
        if (urls.Count == 0)
        {
            throw new InvalidOperationException("client: no endpoints available");
        }

        _transport.Endpoints = urls;
    }

    /// <summary>Asks one endpoint's <c>/health</c>; returns whether it said healthy and how long it took.</summary>
    public async Task<(bool Healthy, TimeSpan Took, string? Error)> CheckHealthAsync(Uri endpoint, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await _transport.SendToAsync(endpoint, new EtcdRequest(HttpMethod.Get, "/health") { AcceptAnyStatus = true }, cancellationToken);
            var took = Stopwatch.GetElapsedTime(started);
            using var document = JsonDocument.Parse(response.Body);
            var health = document.RootElement.TryGetProperty("health", out var value) ? value : default;
            var healthy = health.ValueKind == JsonValueKind.True || (health.ValueKind == JsonValueKind.String && health.GetString() == "true");
            return (healthy, took, healthy ? null : response.Body.Trim());
        }
        catch (Exception exception) when (exception is EndpointFailure or JsonException)
        {
            return (false, Stopwatch.GetElapsedTime(started), exception.Message);
        }
    }

    /// <summary>Throws <see cref="ClusterException"/> unless some endpoint answers <c>/version</c> (a cheap liveness probe).</summary>
    public async Task CheckReachableAsync(CancellationToken cancellationToken = default) =>
        await _transport.SendAsync(new EtcdRequest(HttpMethod.Get, "/version") { Idempotent = true }, cancellationToken);

    public async Task<StoreStatistics> GetStoreStatisticsAsync(CancellationToken cancellationToken = default)
    {
        var response = await _transport.SendAsync(new EtcdRequest(HttpMethod.Get, "/v2/stats/store") { Idempotent = true }, cancellationToken);
        return JsonSerializer.Deserialize(response.Body, ProtocolJsonContext.Default.StoreStatistics)
            ?? throw new InvalidOperationException("empty /v2/stats/store");
    }

    /// <summary>Status of one endpoint, from <c>/v2/stats/self</c>, <c>/version</c> and the X-Raft-* headers of a keys read.</summary>
    public async Task<EndpointStatus> GetEndpointStatusAsync(Uri endpoint, CancellationToken cancellationToken = default)
    {
        var self = await _transport.SendToAsync(endpoint, new EtcdRequest(HttpMethod.Get, "/v2/stats/self"), cancellationToken);
        var version = await _transport.SendToAsync(endpoint, new EtcdRequest(HttpMethod.Get, "/version"), cancellationToken);
        var keys = await _transport.SendToAsync(endpoint, new EtcdRequest(HttpMethod.Get, "/v2/keys/?quorum=false&recursive=false&sorted=false"), cancellationToken);
        return new EndpointStatus(
            endpoint,
            JsonSerializer.Deserialize(self.Body, ProtocolJsonContext.Default.ServerStatistics) ?? throw new InvalidOperationException("empty /v2/stats/self"),
            JsonSerializer.Deserialize(version.Body, ProtocolJsonContext.Default.VersionInfo) ?? throw new InvalidOperationException("empty /version"),
            keys.RaftIndex ?? 0,
            keys.RaftTerm ?? 0);
    }

    /// <summary>
    /// Streams a consistent backup of a member's key tree (<c>GET /v2/admin/snapshot</c>, KvDirectory only) into
    /// <paramref name="destination"/>; returns the etcd index it was taken at.
    /// </summary>
    public async Task<long> SaveSnapshotAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var response = await _transport.SendAsync(new EtcdRequest(HttpMethod.Get, "/v2/admin/snapshot") { DownloadTo = destination, Idempotent = true }, cancellationToken);
        if (response.Status != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"the server answered {(int)response.Status} to a snapshot request; is it KvDirectory? (etcd has no online v2 backup)");
        }

        return response.EtcdIndex ?? 0;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _transport.Dispose();
    }

    /// <summary>Keeps the endpoints in step with the cluster's members: joined members get traffic, removed ones stop.</summary>
    private async Task DiscoverEndpointsAsync(TimeSpan interval, CancellationToken stopping)
    {
        try
        {
            using var timer = new PeriodicTimer(interval);
            do
            {
                try
                {
                    var before = Endpoints;
                    await SyncAsync(stopping);
                    if (!before.SequenceEqual(Endpoints))
                    {
                        ClientLog.EndpointsDiscovered(_logger, string.Join(",", Endpoints));
                    }
                }
                catch (Exception exception) when (exception is ClusterException or MembersApiException or InvalidOperationException)
                {
                    ClientLog.DiscoveryFailed(_logger, exception.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
