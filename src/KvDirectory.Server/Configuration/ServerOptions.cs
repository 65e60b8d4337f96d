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

    /// <summary>Bytes of directory listings kept rendered while the tree does not change (0: none); not an etcd flag.</summary>
    [ConfigurationKeyName("listing-cache-bytes")]
    public long ListingCacheBytes { get; set; } = 32 * 1024 * 1024;

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

    /// <summary>Applied entries between two snapshots of the store (etcd's flag and default: each snapshot serialises the whole tree).</summary>
    [ConfigurationKeyName("snapshot-count")]
    public long SnapshotCount { get; set; } = 100_000;

    /// <summary>Entries kept in the log after a snapshot, so a slightly lagging follower catches up without one.</summary>
    [ConfigurationKeyName("snapshot-catchup-entries")]
    public long SnapshotCatchUpEntries { get; set; } = 5_000;

    [ConfigurationKeyName("max-snapshots")]
    public int MaxSnapshots { get; set; } = 5;

    [ConfigurationKeyName("max-wals")]
    public int MaxWals { get; set; } = 5;

    /// <summary>Milliseconds between Raft ticks; a leader heartbeats every tick (etcd's flag).</summary>
    [ConfigurationKeyName("heartbeat-interval")]
    public int HeartbeatIntervalMilliseconds { get; set; } = 100;

    /// <summary>Milliseconds without a leader before a follower campaigns (etcd's flag).</summary>
    [ConfigurationKeyName("election-timeout")]
    public int ElectionTimeoutMilliseconds { get; set; } = 1_000;

    /// <summary>A backup file (from GET /v2/admin/snapshot) to seed an empty --data-dir with on first start.</summary>
    [ConfigurationKeyName("restore-from")]
    public string RestoreFrom { get; set; } = string.Empty;

    /// <summary>
    /// Testing flag: "name=host:port,…" — dial member <c>name</c> at that address instead of its peer URL (partition
    /// tests route peer traffic through a fault-injecting proxy). Member ids still come from the real peer URLs.
    /// </summary>
    [ConfigurationKeyName("peer-dial-override")]
    public string PeerDialOverride { get; set; } = string.Empty;

    /// <summary>
    /// Testing flag: "true" turns Raft's check-quorum off, so a leader cut off from its quorum keeps believing it leads
    /// (etcd 3.4 always checks). It exists so a test can show that the leader-isolation test fails without it.
    /// </summary>
    [ConfigurationKeyName("disable-check-quorum")]
    public bool DisableCheckQuorum { get; set; }

    /// <summary>The browser explorer at /ui/ only looks: it offers no edits, imports or restores (writes through /v2/keys are unaffected).</summary>
    [ConfigurationKeyName("explorer-read-only")]
    public bool ExplorerReadOnly { get; set; }

    /// <summary>The client port's certificate (PEM); used when a --listen-client-urls URL is https.</summary>
    [ConfigurationKeyName("cert-file")]
    public string CertFile { get; set; } = string.Empty;

    [ConfigurationKeyName("key-file")]
    public string KeyFile { get; set; } = string.Empty;

    /// <summary>Clients must present a certificate from --trusted-ca-file (etcd also requires one when only the CA file is given).</summary>
    [ConfigurationKeyName("client-cert-auth")]
    public bool ClientCertAuth { get; set; }

    [ConfigurationKeyName("trusted-ca-file")]
    public string TrustedCaFile { get; set; } = string.Empty;

    /// <summary>The peer port's certificate (PEM); used when --listen-peer-urls is https, for accepted and dialled connections.</summary>
    [ConfigurationKeyName("peer-cert-file")]
    public string PeerCertFile { get; set; } = string.Empty;

    [ConfigurationKeyName("peer-key-file")]
    public string PeerKeyFile { get; set; } = string.Empty;

    [ConfigurationKeyName("peer-client-cert-auth")]
    public bool PeerClientCertAuth { get; set; }

    [ConfigurationKeyName("peer-trusted-ca-file")]
    public string PeerTrustedCaFile { get; set; } = string.Empty;

    public IReadOnlyList<string> ListenPeerUrlList => UrlList.Parse(ListenPeerUrls);

    public IReadOnlyList<string> ListenClientUrlList => UrlList.Parse(ListenClientUrls);

    public IReadOnlyList<string> AdvertiseClientUrlList =>
        AdvertiseClientUrls.Length == 0 ? ListenClientUrlList : UrlList.Parse(AdvertiseClientUrls);

    public IReadOnlyList<string> AdvertisePeerUrlList => UrlList.Parse(InitialAdvertisePeerUrls);
}
