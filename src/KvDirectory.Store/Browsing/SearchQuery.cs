namespace KvDirectory.Store.Browsing;

/// <summary>What the explorer searches for: keys starting with a path prefix, or keys whose path or value contains a text.</summary>
public sealed record SearchQuery
{
    /// <summary>Keys (and directories) whose full path starts with this, e.g. <c>/app/se</c>; null when searching by text.</summary>
    public string? Prefix { get; init; }

    /// <summary>Case-insensitive text looked for in the key's path and in its value; null when searching by prefix.</summary>
    public string? Contains { get; init; }

    /// <summary>Only beneath this directory.</summary>
    public string Under { get; init; } = "/";

    public bool IncludeHidden { get; init; }
}

/// <summary>
/// One batch of search results in key order. Everything up to <see cref="ResumeAfter"/> (in the tree's pre-order:
/// a directory, then its children by name) has been looked at; the next batch continues after it.
/// </summary>
public sealed record SearchBatch(IReadOnlyList<BrowseEntry> Matches, string? ResumeAfter, int Visited)
{
    public bool Done => ResumeAfter is null;
}
