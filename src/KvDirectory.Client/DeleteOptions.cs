namespace KvDirectory.Client;

/// <summary>Conditions of a DELETE: compare-and-delete on value or index, directory and recursive removal.</summary>
public sealed record DeleteOptions
{
    public string? PrevValue { get; init; }

    public long PrevIndex { get; init; }

    public bool Dir { get; init; }

    public bool Recursive { get; init; }
}
