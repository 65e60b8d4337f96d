namespace KvDirectory.Client;

/// <summary>
/// One API call independent of the endpoint it goes to, so the same call can be replayed
/// against the next endpoint on failover.
/// </summary>
internal sealed record EtcdRequest(HttpMethod Method, string PathAndQuery)
{
    public string? Body { get; init; }

    public string? ContentType { get; init; }

    /// <summary>Long-poll requests (watches) get no header deadline: etcd sends headers at once, but a slow proxy may not.</summary>
    public bool IsWatch { get; init; }

    /// <summary>
    /// Sending it twice leaves the store as sending it once would (a GET, a watch, an unconditional PUT). Only such a
    /// call is retried, or sent to another endpoint after a failure that may have reached the server (a timeout, a reset,
    /// a 5xx). A conditional PUT, a POST or a DELETE moves on only when the connection was never made: its first try may
    /// have been applied, and a blind second one would fail its condition or write twice.
    /// </summary>
    public bool Idempotent { get; init; }

    /// <summary>The caller reads the body of any status (an unhealthy <c>/health</c> is a 503 with a JSON verdict).</summary>
    public bool AcceptAnyStatus { get; init; }

    /// <summary>A binary answer (a backup) is copied here instead of being read as text; rewound on failover.</summary>
    public Stream? DownloadTo { get; init; }
}
