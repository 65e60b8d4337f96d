namespace KvDirectory.Client;

/// <summary>
/// The client as configured for a service (<c>AddKvDirectoryClient</c>, bound from a configuration section such as
/// <c>"KvDirectory": { "Endpoints": ["http://10.0.0.1:2379"] }</c>). Unlike kvctl's defaults, a service gets retries,
/// breakers, a total timeout and endpoint discovery.
/// </summary>
public sealed class KvDirectoryClientOptions
{
    /// <summary>Where the cluster starts being looked for; discovery adds the other members.</summary>
    public IList<Uri> Endpoints { get; set; } = [];

    /// <summary>Deadline for the response headers of one request to one endpoint.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Deadline of one call, failovers and retries included (watches are exempt).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of an idempotent call after every endpoint failed; conditional writes, POST and DELETE never.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a failing endpoint is skipped; zero turns the per-endpoint breakers off.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the endpoints are refreshed from <c>/v2/members</c>; zero: never.</summary>
    public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromSeconds(30);

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? CertificateFile { get; set; }

    public string? KeyFile { get; set; }

    public string? TrustedCaFile { get; set; }

    public EtcdClientOptions ToClientOptions() => new()
    {
        Endpoints = Endpoints.Count > 0 ? [.. Endpoints] : throw new InvalidOperationException("KvDirectory client: no endpoints configured"),
        RequestTimeout = RequestTimeout,
        TotalTimeout = TotalTimeout,
        MaxRetryAttempts = MaxRetryAttempts,
        RetryBaseDelay = RetryBaseDelay,
        CircuitBreakDuration = CircuitBreakDuration,
        DiscoveryInterval = DiscoveryInterval,
        Username = Username,
        Password = Password,
        CertificateFile = CertificateFile,
        KeyFile = KeyFile,
        TrustedCaFile = TrustedCaFile,
    };
}
