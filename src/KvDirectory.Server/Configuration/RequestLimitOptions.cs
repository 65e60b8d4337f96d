using Microsoft.Extensions.Configuration;

namespace KvDirectory.Server.Configuration;

/// <summary>
/// What one client may ask of the server: sizes, watchers, connections and how slow it may be. Flat flags beside etcd's
/// (etcd itself has only <c>--max-request-bytes</c>, which stays in <see cref="ServerOptions"/>); each has a
/// <c>ETCD_*</c> variable like every flag.
/// </summary>
public sealed class RequestLimitOptions
{
    /// <summary>Longest key, in UTF-8 bytes of the decoded path (etcd's own first request line stops near 4 KiB).</summary>
    [ConfigurationKeyName("max-key-bytes")]
    public int MaxKeyBytes { get; set; } = 4_096;

    /// <summary>Most path segments in a key: the store and its snapshot walk paths, so depth is bounded as size is.</summary>
    [ConfigurationKeyName("max-key-depth")]
    public int MaxKeyDepth { get; set; } = 256;

    /// <summary>Kestrel's request line limit (method, URL and version); over it Kestrel answers 414 itself.</summary>
    [ConfigurationKeyName("max-request-line-bytes")]
    public int MaxRequestLineBytes { get; set; } = 16_384;

    /// <summary>Kestrel's limit on all request headers together; over it Kestrel answers 431 itself.</summary>
    [ConfigurationKeyName("max-request-headers-bytes")]
    public int MaxRequestHeadersBytes { get; set; } = 32_768;

    [ConfigurationKeyName("max-request-header-count")]
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>Watches parked on this member at once (long polls and streams); one more is answered 429.</summary>
    [ConfigurationKeyName("max-watchers")]
    public int MaxWatchers { get; set; } = 100_000;

    /// <summary>Watches parked on one connection at once (HTTP/2 multiplexes many; HTTP/1.1 has one at a time).</summary>
    [ConfigurationKeyName("max-watchers-per-connection")]
    public int MaxWatchersPerConnection { get; set; } = 100;

    /// <summary>Open client connections; one more is closed by Kestrel without an answer. Keep it under the fd limit.</summary>
    [ConfigurationKeyName("max-connections")]
    public long MaxConnections { get; set; } = 15_000;

    /// <summary>Connections upgraded to another protocol (none is served today, so a small number).</summary>
    [ConfigurationKeyName("max-upgraded-connections")]
    public long MaxUpgradedConnections { get; set; } = 100;

    /// <summary>A request body slower than this (after the grace period) is cut off: a trickling client cannot hold a request open.</summary>
    [ConfigurationKeyName("min-request-body-bytes-per-second")]
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>
    /// A response the client reads slower than this (after the grace period) is cut off. Kestrel measures only while a
    /// write is pending, so a quiet watch is never cut; a stream watch whose client stopped reading is.
    /// </summary>
    [ConfigurationKeyName("min-response-bytes-per-second")]
    public double MinResponseBytesPerSecond { get; set; } = 240;

    /// <summary>How long a client may stay below the minimum rates before it is cut off.</summary>
    [ConfigurationKeyName("min-data-rate-grace-ms")]
    public int MinDataRateGraceMilliseconds { get; set; } = 10_000;

    /// <summary>How long an idle keep-alive connection is kept open.</summary>
    [ConfigurationKeyName("keep-alive-timeout-ms")]
    public int KeepAliveTimeoutMilliseconds { get; set; } = 300_000;

    /// <summary>How long a client may take to send a request's headers (a slowloris client is cut off after it).</summary>
    [ConfigurationKeyName("request-headers-timeout-ms")]
    public int RequestHeadersTimeoutMilliseconds { get; set; } = 10_000;
}
