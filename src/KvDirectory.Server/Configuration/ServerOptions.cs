using Microsoft.Extensions.Configuration;

namespace KvDirectory.Server.Configuration;

/// <summary>
/// The node's settings, under etcd's flag names so an etcd command line works unchanged
/// (<c>--name</c>, <c>--listen-client-urls</c> …; also <c>ETCD_NAME</c>-style environment variables).
/// </summary>
public sealed class ServerOptions
{
    [ConfigurationKeyName("name")]
    public string Name { get; set; } = "default";

    [ConfigurationKeyName("data-dir")]
    public string DataDir { get; set; } = "data";

    [ConfigurationKeyName("listen-client-urls")]
    public string ListenClientUrls { get; set; } = "http://127.0.0.1:2379";

    /// <summary>Empty means: the listen URLs.</summary>
    [ConfigurationKeyName("advertise-client-urls")]
    public string AdvertiseClientUrls { get; set; } = string.Empty;

    [ConfigurationKeyName("listen-peer-urls")]
    public string ListenPeerUrls { get; set; } = "http://127.0.0.1:2380";

    [ConfigurationKeyName("initial-advertise-peer-urls")]
    public string InitialAdvertisePeerUrls { get; set; } = "http://127.0.0.1:2380";

    /// <summary>"name=peerURL,…"; empty means this single member.</summary>
    [ConfigurationKeyName("initial-cluster")]
    public string InitialCluster { get; set; } = string.Empty;

    [ConfigurationKeyName("initial-cluster-state")]
    public string InitialClusterState { get; set; } = "new";

    [ConfigurationKeyName("initial-cluster-token")]
    public string InitialClusterToken { get; set; } = "etcd-cluster";

    /// <summary>How many events a watch can look back on; etcd keeps 1000, we keep more by default.</summary>
    [ConfigurationKeyName("event-history")]
    public int EventHistory { get; set; } = 10_000;

    /// <summary>Largest request body accepted, as etcd's flag (1.5 MiB by default).</summary>
    [ConfigurationKeyName("max-request-bytes")]
    public long MaxRequestBytes { get; set; } = 1_572_864;

    /// <summary>Comma-separated allowed CORS origins; "*" (the default, as etcd) allows every origin.</summary>
    [ConfigurationKeyName("cors")]
    public string Cors { get; set; } = "*";

    /// <summary>How long a write waits to be applied before it answers an error instead of hanging.</summary>
    [ConfigurationKeyName("request-timeout-ms")]
    public int RequestTimeoutMilliseconds { get; set; } = 5_000;

    /// <summary>How often expired TTL keys are swept (etcd: every 500 ms).</summary>
    [ConfigurationKeyName("ttl-sweep-interval-ms")]
    public int TtlSweepIntervalMilliseconds { get; set; } = 500;

    public IReadOnlyList<string> ListenClientUrlList => UrlList.Parse(ListenClientUrls);

    public IReadOnlyList<string> AdvertiseClientUrlList =>
        AdvertiseClientUrls.Length == 0 ? ListenClientUrlList : UrlList.Parse(AdvertiseClientUrls);

    public IReadOnlyList<string> AdvertisePeerUrlList => UrlList.Parse(InitialAdvertisePeerUrls);
}
