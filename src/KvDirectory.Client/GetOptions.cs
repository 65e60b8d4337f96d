namespace KvDirectory.Client;

/// <summary>Flags of a GET; all three are always sent, as etcdctl does.</summary>
public sealed record GetOptions
{
    public bool Recursive { get; init; }

    public bool Sorted { get; init; }

    public bool Quorum { get; init; }
}
