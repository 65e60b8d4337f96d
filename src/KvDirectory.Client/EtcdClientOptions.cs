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

    /// <summary>When set, every request is written here as a runnable curl command, followed by the response status.</summary>
    public TextWriter? DebugWriter { get; init; }
}
