using System.Collections.Concurrent;

namespace KvDirectory.Server.Metrics;

/// <summary>What the host counts itself for <c>/metrics</c>: HTTP requests, and peer traffic fed by the transport.</summary>
public sealed class ServerMetrics
{
    private readonly ConcurrentDictionary<(string Method, int Status), long> _httpRequests = new();

    /// <summary>Bytes and failures per peer, fed by the peer transport.</summary>
    public PeerTrafficMetrics Peers { get; } = new();

    public IEnumerable<KeyValuePair<(string Method, int Status), long>> HttpRequests => _httpRequests;

    public void RecordHttpRequest(string method, int status) =>
        _httpRequests.AddOrUpdate((method, status), 1, static (_, count) => count + 1);
}
