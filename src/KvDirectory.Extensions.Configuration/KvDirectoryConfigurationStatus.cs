namespace KvDirectory.Extensions.Configuration;

/// <summary>Where the values a provider serves right now came from.</summary>
public enum ConfigurationDataSource
{
    /// <summary>Nothing loaded: the cluster and the cache both failed and the source is optional.</summary>
    None,

    /// <summary>The last-known-good cache file, while the cluster has not answered yet.</summary>
    Cache,

    /// <summary>The cluster.</summary>
    Live,
}

/// <summary>A provider's state: the source of its values, the etcd index they reflect, and when they were loaded.</summary>
public sealed record KvDirectoryConfigurationStatus(ConfigurationDataSource Source, long EtcdIndex, DateTimeOffset LoadedAt)
{
    /// <summary>When the cache in use was written (only when serving from it).</summary>
    public DateTimeOffset? CacheSavedAt { get; init; }
}
