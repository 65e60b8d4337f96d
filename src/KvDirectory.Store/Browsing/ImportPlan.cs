namespace KvDirectory.Store.Browsing;

/// <summary>What an import would do to one key, decided against the store as it is now.</summary>
public enum ImportStatus
{
    /// <summary>Not there: the import creates it (only if it is still absent then).</summary>
    Added,

    /// <summary>A key with another value: the import replaces it (only if it still has <see cref="ImportItem.CurrentModifiedIndex"/>).</summary>
    Changed,

    /// <summary>Already there as the dump has it: the import leaves it alone.</summary>
    Unchanged,

    /// <summary>A directory where the dump has a key, or the other way round (also on the way to it): the import skips it.</summary>
    Conflicting,
}

/// <summary>One line of an import's dry run.</summary>
public sealed record ImportItem
{
    /// <summary>Where the import writes it (the dump's key moved under the target prefix).</summary>
    public required string Key { get; init; }

    public bool Dir { get; init; }

    public ImportStatus Status { get; init; }

    /// <summary>The value the import writes; null for a directory.</summary>
    public string? Value { get; init; }

    public long Ttl { get; init; }

    /// <summary>The value there now, for a changed key.</summary>
    public string? CurrentValue { get; init; }

    /// <summary>The <c>modifiedIndex</c> there now: a write of a changed key is conditional on it.</summary>
    public long CurrentModifiedIndex { get; init; }

    /// <summary>Why a conflicting item is skipped.</summary>
    public string? Reason { get; init; }
}

/// <summary>An import's dry run: every item of the dump and what would happen to it, as of <see cref="EtcdIndex"/>.</summary>
public sealed record ImportPlan(IReadOnlyList<ImportItem> Items, long EtcdIndex)
{
    public int Count(ImportStatus status) => Items.Count(item => item.Status == status);
}
