namespace KvDirectory.Client;

/// <summary>How a client reaches the cluster: endpoints, timeouts, credentials and TLS material.</summary>
public sealed record EtcdClientOptions
{
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>Deadline for the response headers of one request to one endpoint (etcdctl's <c>--timeout</c>).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? CertificateFile { get; init; }

    public string? KeyFile { get; init; }

    public string? TrustedCaFile { get; init; }

    /// <summary>
    /// Deadline of one whole call, failovers and retries included (none by default: kvctl bounds a command with its
    /// own token). Watches are exempt: they wait as long as the caller lets them.
    /// </summary>
    public TimeSpan? TotalTimeout { get; init; }

    /// <summary>
    /// How often an idempotent call that failed on every endpoint is tried again, with exponential backoff and jitter.
    /// Conditional writes (prevIndex/prevValue/prevExist), POST and DELETE are never retried; see <see cref="EtcdRequest"/>.
    /// </summary>
    public int MaxRetryAttempts { get; init; }

    /// <summary>First retry delay; doubles with each attempt (plus jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long an endpoint is skipped once its circuit breaker opens; zero turns the breakers off.</summary>
    public TimeSpan CircuitBreakDuration { get; init; }

    /// <summary>How often the endpoints are refreshed from <c>/v2/members</c> in the background; zero: never.</summary>
    public TimeSpan DiscoveryInterval { get; init; }

    /// <summary>When set, every request is written here as a runnable curl command, followed by the response status.</summary>
    public TextWriter? DebugWriter { get; init; }
}
