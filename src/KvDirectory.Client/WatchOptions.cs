namespace KvDirectory.Client;

/// <summary>Where a watch starts and whether it survives disconnects.</summary>
public sealed record WatchOptions
{
    /// <summary>Events after this index are delivered (the first request sends <c>waitIndex = AfterIndex + 1</c>); zero means "from now".</summary>
    public long AfterIndex { get; init; }

    public bool Recursive { get; init; }

    /// <summary>
    /// Reconnect with backoff after connection errors and 5xx answers, resuming exactly after the
    /// last delivered event, so nothing is lost or repeated across a server restart.
    /// </summary>
    public bool Reconnect { get; init; }

    /// <summary>Upper bound of the reconnect backoff.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(1);
}
