namespace KvDirectory.Store;

/// <summary>
/// A node of the watcher trie: the watchers registered on one path and the paths below it.
/// A trie lets an event reach the watchers on its key's ancestors, and a directory removal
/// reach every watcher beneath the directory, without scanning unrelated watchers.
/// </summary>
internal sealed class WatchPathNode
{
    public WatchPathNode(string name, WatchPathNode? parent)
    {
        Name = name;
        Parent = parent;
    }

    public string Name { get; }

    public WatchPathNode? Parent { get; }

    public Dictionary<string, WatchPathNode> Children { get; } = new(StringComparer.Ordinal);

    public LinkedList<Watcher> Watchers { get; } = new();

    public bool IsUnused => Watchers.Count == 0 && Children.Count == 0;
}
