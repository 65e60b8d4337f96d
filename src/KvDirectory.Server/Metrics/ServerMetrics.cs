using System.Collections.Concurrent;

namespace KvDirectory.Server.Metrics;

/// <summary>What the host counts itself for <c>/metrics</c>: HTTP requests, and peer traffic fed by the transport.</summary>
public sealed class ServerMetrics
{
    private readonly ConcurrentDictionary<(string Method, int Status), long> _httpRequests = new();
    private long _openConnections;

    /// <summary>Bytes and failures per peer, fed by the peer transport.</summary>
    public PeerTrafficMetrics Peers { get; } = new();

    public IEnumerable<KeyValuePair<(string Method, int Status), long>> HttpRequests => _httpRequests;

    /// <summary>Client connections open now: what a test watches to see a cut-off client's connection really freed.</summary>
    public long OpenConnections => Interlocked.Read(ref _openConnections);

    public void ConnectionOpened() => Interlocked.Increment(ref _openConnections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _openConnections);

    /// <summary>Methods outside HTTP's and WebDAV's common set count as "other": a client inventing methods must not grow the table.</summary>
    public void RecordHttpRequest(string method, int status) =>
        _httpRequests.AddOrUpdate((KnownMethods.Contains(method) ? method : "other", status), 1, static (_, count) => count + 1);

    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal)
    {
        "GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT",
    };
}
