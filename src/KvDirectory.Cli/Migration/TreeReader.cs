using KvDirectory.Client;
using KvDirectory.Protocol;
using KvDirectory.Protocol.Dump;

namespace KvDirectory.Cli.Migration;

/// <summary>
/// Reads a subtree (and the hidden keys named explicitly: the v2 API never lists them) as a flat list, every
/// directory before its children, with the etcd index the read was answered at.
/// </summary>
public static class TreeReader
{
    public static async Task<(IReadOnlyList<TreeEntry> Entries, long EtcdIndex)> ReadAsync(
        EtcdClient source,
        string prefix,
        IReadOnlyList<string> hidden,
        CancellationToken cancellationToken)
    {
        var entries = new List<TreeEntry>();
        var index = await ReadOneAsync(source, prefix, entries, cancellationToken);
        foreach (var key in hidden)
        {
            await ReadOneAsync(source, key, entries, cancellationToken);
        }

        return (entries, index);
    }

    /// <summary>Adds the subtree at <paramref name="key"/> (nothing when it does not exist) and returns the index it was read at.</summary>
    public static async Task<long> ReadOneAsync(EtcdClient source, string key, List<TreeEntry> into, CancellationToken cancellationToken)
    {
        EtcdEvent answer;
        try
        {
            // quorum: a copy taken from a lagging member would miss acknowledged writes.
            answer = await TransferRetry.Pipeline.ExecuteAsync(
                token => new ValueTask<EtcdEvent>(source.Keys.GetAsync(key, new GetOptions { Recursive = true, Sorted = true, Quorum = true }, token)),
                cancellationToken);
        }
        catch (EtcdException error) when (error.ErrorCode == EtcdErrorCode.KeyNotFound)
        {
            return error.Index;
        }

        if (answer.Node is { } node)
        {
            Flatten(node, into);
        }

        return answer.EtcdIndex;
    }

    public static TreeEntry ToEntry(EtcdNode node) => new(
        new KeyDumpEntry
        {
            Key = node.Key ?? "/",
            Dir = node.Dir,
            Value = node.Dir ? null : node.Value ?? string.Empty,
            Ttl = node.Ttl,
            CreatedIndex = node.CreatedIndex,
            ModifiedIndex = node.ModifiedIndex,
        },
        node.Expiration);

    private static void Flatten(EtcdNode node, List<TreeEntry> into)
    {
        // The root has no key and cannot be written; everything else is copied as it is.
        if (node.Key is { Length: > 0 } and not "/")
        {
            into.Add(ToEntry(node));
        }

        foreach (var child in node.Nodes ?? [])
        {
            Flatten(child, into);
        }
    }
}
