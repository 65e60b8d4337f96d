using System.Runtime.CompilerServices;
using KvDirectory.Client;
using KvDirectory.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Client.Recipes;

/// <summary>One live instance of a service: its id and the address it published.</summary>
public sealed record ServiceInstance(string Id, string Address);

/// <summary>
/// Service instances as TTL keys <c>{root}/{service}/{instance}</c> = address, kept alive with <c>refresh=true</c> (so
/// watchers see only arrivals and departures); discovery lists them, and a watch follows them come and go.
/// </summary>
public sealed class ServiceRegistry(EtcdClient client, string root = "/services", ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public async Task<ServiceRegistration> RegisterAsync(string service, string instanceId, string address, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(service, instanceId);
        await client.Keys.SetAsync(key, address, new SetOptions { Ttl = ttl }, cancellationToken);
        RecipeLog.Registered(_logger, key, address);
        var keepAlive = new TtlKeepAlive(
            token => client.Keys.SetAsync(key, "", new SetOptions { Refresh = true, Ttl = ttl, PrevExist = PrevExistCondition.MustExist }, token),
            ttl,
            _logger,
            $"registration {key}");
        return new ServiceRegistration(client, key, keepAlive, _logger);
    }

    public async Task<IReadOnlyList<ServiceInstance>> DiscoverAsync(string service, CancellationToken cancellationToken = default) =>
        (await ReadAsync(service, cancellationToken)).Instances;

    /// <summary>The live instances now, then again after every arrival, departure or expiry.</summary>
    public async IAsyncEnumerable<IReadOnlyList<ServiceInstance>> WatchAsync(string service, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (instances, index) = await ReadUntilAnsweredAsync(service, cancellationToken);
        yield return instances;
        await foreach (var update in client.Keys.WatchAsync(DirectoryOf(service), recursive: true, index + 1, cancellationToken))
        {
            (instances, _) = update.Kind == WatchUpdateKind.Resync ? (Instances(update.Snapshot), update.Index) : await ReadUntilAnsweredAsync(service, cancellationToken);
            yield return instances;
        }
    }

    /// <summary>A watch outlives outages, so the reads it makes wait them out too rather than end it.</summary>
    private async Task<(IReadOnlyList<ServiceInstance> Instances, long Index)> ReadUntilAnsweredAsync(string service, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await ReadAsync(service, cancellationToken);
            }
            catch (ClusterException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    private async Task<(IReadOnlyList<ServiceInstance> Instances, long Index)> ReadAsync(string service, CancellationToken cancellationToken)
    {
        try
        {
            var read = await client.Keys.GetAsync(DirectoryOf(service), new GetOptions { Recursive = true, Sorted = true, Quorum = true }, cancellationToken);
            return (Instances(read.Node), read.EtcdIndex);
        }
        catch (EtcdException exception) when (exception.ErrorCode == EtcdErrorCode.KeyNotFound)
        {
            return ([], exception.Index);
        }
    }

    private static IReadOnlyList<ServiceInstance> Instances(EtcdNode? directory) =>
        [.. (directory?.Nodes ?? []).Where(n => !n.Dir).Select(n => new ServiceInstance(n.Key![(n.Key!.LastIndexOf('/') + 1)..], n.Value ?? ""))];

    private string DirectoryOf(string service) => "/" + root.Trim('/') + "/" + service.Trim('/');

    private string KeyOf(string service, string instanceId) => DirectoryOf(service) + "/" + instanceId;
}

/// <summary>A registered instance; <see cref="Lost"/> fires if the registration may have expired. Dispose to deregister.</summary>
public sealed class ServiceRegistration : IAsyncDisposable
{
    private readonly EtcdClient _client;
    private readonly TtlKeepAlive _keepAlive;
    private readonly ILogger _logger;

    internal ServiceRegistration(EtcdClient client, string key, TtlKeepAlive keepAlive, ILogger logger)
    {
        _client = client;
        _keepAlive = keepAlive;
        _logger = logger;
        Key = key;
    }

    public string Key { get; }

    public CancellationToken Lost => _keepAlive.Lost;

    public async ValueTask DisposeAsync()
    {
        await _keepAlive.DisposeAsync();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _client.Keys.DeleteAsync(Key, cancellationToken: deadline.Token);
        }
        catch (Exception exception) when (exception is ClusterException or EtcdException or OperationCanceledException)
        {
            RecipeLog.ReleaseFailed(_logger, Key, exception.Message);
        }
    }
}
