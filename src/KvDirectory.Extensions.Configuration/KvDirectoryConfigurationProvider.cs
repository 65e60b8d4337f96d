using KvDirectory.Client;
using KvDirectory.Protocol;
using KvDirectory.Protocol.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Extensions.Configuration;

/// <summary>
/// Configuration from a KvDirectory (or etcd v2) key prefix. The first load is bounded by the startup timeout and falls
/// back to the last-known-good cache; afterwards one recursive watch follows every change and each burst of changes is
/// one reload: a fresh linearizable read of the whole prefix swapped in at once, so deletions are honoured and readers
/// never see half a change.
/// </summary>
public sealed class KvDirectoryConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly KvDirectoryConfigurationOptions _options;
    private readonly ConfigurationMappingOptions _mapping;
    private readonly LastKnownGoodCache? _cache;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private IReadOnlyList<ConfigurationValue> _values = [];
    private Task? _following;

    public KvDirectoryConfigurationProvider(KvDirectoryConfigurationOptions options)
    {
        _options = options;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<KvDirectoryConfigurationProvider>();
        _mapping = new ConfigurationMappingOptions { ExpandJson = options.ExpandJson, ExpandJsonUnder = [.. options.ExpandJsonUnder] };
        _cache = options.CacheFile is { } file ? new LastKnownGoodCache(file, options.Prefix, options.ExcludeFromCache, options.TimeProvider) : null;
        Client = new EtcdClient(
            new EtcdClientOptions
            {
                Endpoints = options.Endpoints.Count > 0 ? [.. options.Endpoints] : throw new ArgumentException("KvDirectory configuration: no endpoints", nameof(options)),
                RequestTimeout = options.RequestTimeout,
                MaxRetryAttempts = 2,
                DiscoveryInterval = TimeSpan.FromSeconds(30),
                Username = options.Username,
                Password = options.Password,
                CertificateFile = options.CertificateFile,
                KeyFile = options.KeyFile,
                TrustedCaFile = options.TrustedCaFile,
            },
            httpClients: null,
            options.LoggerFactory);
        Status = new KvDirectoryConfigurationStatus(ConfigurationDataSource.None, 0, options.TimeProvider.GetUtcNow());
    }

    public string Prefix => _options.Prefix;

    public KvDirectoryConfigurationStatus Status { get; private set; }

    /// <summary>Every value served now, with the store key and <c>modifiedIndex</c> it came from.</summary>
    public IReadOnlyList<ConfigurationValue> DebugView => _values;

    internal EtcdClient Client { get; }

    internal ILogger Logger => _logger;

    internal KvDirectoryConfigurationOptions Options => _options;

    public override void Load()
    {
        if (_following is not null)
        {
            // A ConfigurationRoot.Reload(): the follower already keeps the values current.
            return;
        }

        using var startup = new CancellationTokenSource(_options.StartupTimeout);
        try
        {
            var (values, index) = Task.Run(() => FetchAsync(startup.Token)).GetAwaiter().GetResult();
            Apply(values, index, ConfigurationDataSource.Live, raise: false);
        }
        catch (Exception exception) when (exception is ClusterException or OperationCanceledException or EtcdException)
        {
            var error = exception is OperationCanceledException ? "startup timeout" : exception.Message;
            ConfigurationLog.StartupFailed(_logger, Prefix, _options.StartupTimeout, error);
            StartWithoutCluster(error, exception);
        }

        if (_options.ReloadOnChange)
        {
            _following = Task.Run(() => new ConfigurationFollower(this).RunAsync(_stopping.Token));
        }
    }

    /// <summary>
    /// The whole prefix, mapped, as of at least <paramref name="minIndex"/>. A local read of the member the watch talks to
    /// usually is (it has applied the events it reported); only when the answer is older does a linearizable read follow.
    /// With no index to reach (startup), the read is linearizable at once. A missing prefix is an empty configuration.
    /// </summary>
    internal async Task<(IReadOnlyList<ConfigurationValue> Values, long Index)> FetchAsync(CancellationToken cancellationToken, long minIndex = 0)
    {
        try
        {
            var read = await Client.Keys.GetAsync(Prefix, new GetOptions { Recursive = true, Sorted = true, Quorum = minIndex == 0 }, cancellationToken);
            if (read.EtcdIndex < minIndex)
            {
                read = await Client.Keys.GetAsync(Prefix, new GetOptions { Recursive = true, Sorted = true, Quorum = true }, cancellationToken);
            }

            return (ConfigurationKeyMapper.Map(Prefix, read.Node, _mapping), read.EtcdIndex);
        }
        catch (EtcdException exception) when (exception.ErrorCode == EtcdErrorCode.KeyNotFound)
        {
            if (exception.Index < minIndex)
            {
                return await FetchAsync(cancellationToken, minIndex: 0);
            }

            return ([], exception.Index);
        }
    }

    /// <summary>Swaps in a whole new set of values; raises one change notification when anything differs.</summary>
    internal void Apply(IReadOnlyList<ConfigurationValue> values, long index, ConfigurationDataSource source, bool raise, DateTimeOffset? cacheSavedAt = null)
    {
        var data = new Dictionary<string, string?>(values.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var value in values)
        {
            data[value.Path] = value.Value;
        }

        var changed = data.Count != Data.Count || data.Any(pair => !Data.TryGetValue(pair.Key, out var old) || old != pair.Value);
        _values = values;
        Data = data;
        Status = new KvDirectoryConfigurationStatus(source, index, _options.TimeProvider.GetUtcNow()) { CacheSavedAt = cacheSavedAt };
        if (source == ConfigurationDataSource.Live)
        {
            ConfigurationLog.Loaded(_logger, values.Count, Prefix, index);
            SaveCache(values, index);
        }

        if (raise && changed)
        {
            OnReload();
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        try
        {
            _following?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stopping.Dispose();
        Client.Dispose();
    }

    public override string ToString() => $"KvDirectory {Prefix} ({Status.Source} at index {Status.EtcdIndex})";

    private void StartWithoutCluster(string error, Exception cause)
    {
        if (_cache is not null)
        {
            var (document, rejected) = _cache.TryLoad(_options.CacheMaxAge);
            if (document is not null)
            {
                Apply(document.Values, document.EtcdIndex, ConfigurationDataSource.Cache, raise: false, document.SavedAt);
                ConfigurationLog.ServingFromCache(_logger, Prefix, _cache.Path, _options.TimeProvider.GetUtcNow() - document.SavedAt, document.EtcdIndex);
                return;
            }

            ConfigurationLog.CacheUnusable(_logger, _cache.Path, rejected!);
            error += "; cache: " + rejected;
        }

        if (!_options.Optional)
        {
            throw new KvDirectoryConfigurationException(
                $"KvDirectory configuration under {Prefix} could not be loaded from {string.Join(",", _options.Endpoints)} ({error})", cause);
        }

        ConfigurationLog.StartedEmpty(_logger, Prefix);
    }

    private void SaveCache(IReadOnlyList<ConfigurationValue> values, long index)
    {
        if (_cache is null)
        {
            return;
        }

        try
        {
            _cache.Save(values, index);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            ConfigurationLog.CacheWriteFailed(_logger, _cache.Path, exception.Message);
        }
    }
}
