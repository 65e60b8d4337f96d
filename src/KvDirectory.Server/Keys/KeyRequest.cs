namespace KvDirectory.Server.Keys;

/// <summary>A validated <c>/v2/keys</c> request: everything the store or a watch needs, nothing HTTP-specific.</summary>
public sealed record KeyRequest
{
    public required string Method { get; init; }

    /// <summary>The key path as the store sees it: starts with "/", root is "/".</summary>
    public required string Path { get; init; }

    public string Value { get; init; } = string.Empty;
    public bool Dir { get; init; }
    public string PrevValue { get; init; } = string.Empty;
    public long PrevIndex { get; init; }
    public bool? PrevExist { get; init; }
    public bool Wait { get; init; }
    public long WaitIndex { get; init; }
    public bool Recursive { get; init; }
    public bool Sorted { get; init; }
    public bool Quorum { get; init; }
    public bool Stream { get; init; }
    public bool NoValueOnSuccess { get; init; }

    /// <summary>Seconds to live, when a non-empty <c>ttl</c> was given.</summary>
    public ulong? Ttl { get; init; }

    public bool? Refresh { get; init; }
}
