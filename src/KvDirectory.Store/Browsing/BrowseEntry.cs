namespace KvDirectory.Store.Browsing;

/// <summary>
/// One row of the explorer's listing or search results: a key or directory as the store holds it now. Values are cut
/// to <see cref="V2Store.PreviewLength"/> characters (the key view reads the whole value through <c>/v2/keys</c>).
/// </summary>
public sealed record BrowseEntry
{
    public required string Key { get; init; }

    public required string Name { get; init; }

    public bool Dir { get; init; }

    /// <summary>The value's first characters; null for a directory.</summary>
    public string? Value { get; init; }

    /// <summary>True when <see cref="Value"/> is only the beginning of the stored value.</summary>
    public bool Truncated { get; init; }

    public DateTimeOffset? Expiration { get; init; }

    public long Ttl { get; init; }

    public long CreatedIndex { get; init; }

    public long ModifiedIndex { get; init; }

    /// <summary>Direct children a directory shows (hidden ones only when asked for); 0 for a key.</summary>
    public int ChildCount { get; init; }

    public bool Hidden { get; init; }
}

/// <summary>One window of a directory's children, sorted by name, with the directory itself and how many there are.</summary>
public sealed record DirectoryPage
{
    public required BrowseEntry Node { get; init; }

    /// <summary>The last index at which the directory or anything beneath it changed.</summary>
    public long ChangedIndex { get; init; }

    /// <summary>How many children the whole listing has (the page is a window onto it).</summary>
    public int Total { get; init; }

    public int Offset { get; init; }

    public required IReadOnlyList<BrowseEntry> Children { get; init; }

    /// <summary>The store's index when the page was read: a watch from the next index misses nothing.</summary>
    public long EtcdIndex { get; init; }
}

/// <summary>How much a recursive delete of a node would remove, hidden keys included.</summary>
public sealed record SubtreeSize(int Keys, int Dirs, long ChangedIndex, long EtcdIndex);

/// <summary>The recent events of one key, newest first, and the oldest index the history still holds.</summary>
public sealed record KeyHistory(IReadOnlyList<KvDirectory.Protocol.EtcdEvent> Events, long OldestIndex, long EtcdIndex);
