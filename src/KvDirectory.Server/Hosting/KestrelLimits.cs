using KvDirectory.Server.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace KvDirectory.Server.Hosting;

/// <summary>
/// Puts the configured limits on Kestrel. What Kestrel refuses before any middleware runs (a request line or headers
/// too large, too many connections, a client too slow) it answers itself: 414/431 with an empty body, or a closed connection.
/// </summary>
public static class KestrelLimits
{
    public static void Apply(KestrelServerLimits limits, ServerOptions server, RequestLimitOptions options)
    {
        limits.MaxRequestBodySize = server.MaxRequestBytes;
        limits.MaxRequestLineSize = options.MaxRequestLineBytes;
        limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersBytes;
        limits.MaxRequestHeaderCount = options.MaxRequestHeaderCount;
        limits.MaxConcurrentConnections = options.MaxConnections;
        limits.MaxConcurrentUpgradedConnections = options.MaxUpgradedConnections;
        limits.KeepAliveTimeout = TimeSpan.FromMilliseconds(options.KeepAliveTimeoutMilliseconds);
        limits.RequestHeadersTimeout = TimeSpan.FromMilliseconds(options.RequestHeadersTimeoutMilliseconds);
        var grace = TimeSpan.FromMilliseconds(options.MinDataRateGraceMilliseconds);
        limits.MinRequestBodyDataRate = options.MinRequestBodyBytesPerSecond > 0 ? new MinDataRate(options.MinRequestBodyBytesPerSecond, grace) : null;
        // Measured only while a write is pending: a quiet long poll writes nothing and is never cut.
        limits.MinResponseDataRate = options.MinResponseBytesPerSecond > 0 ? new MinDataRate(options.MinResponseBytesPerSecond, grace) : null;
        limits.Http2.MaxStreamsPerConnection = Math.Max(limits.Http2.MaxStreamsPerConnection, options.MaxWatchersPerConnection);
    }
}
