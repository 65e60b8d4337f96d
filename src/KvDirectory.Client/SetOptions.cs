namespace KvDirectory.Client;

/// <summary>Conditions and attributes of a PUT on a key or directory.</summary>
public sealed record SetOptions
{
    public string? PrevValue { get; init; }

    public long PrevIndex { get; init; }

    public PrevExistCondition PrevExist { get; init; }

    /// <summary>Time to live; zero or less means a permanent key.</summary>
    public TimeSpan Ttl { get; init; }

    public bool Dir { get; init; }

    public bool Refresh { get; init; }
}
