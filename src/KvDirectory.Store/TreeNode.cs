namespace KvDirectory.Store;

/// <summary>
/// A key or directory inside the store. Mutable and private to the store: callers only
/// ever see fresh <see cref="KvDirectory.Protocol.EtcdNode"/> copies built under the lock.
/// </summary>
internal sealed class TreeNode
{
    private TreeNode(string path, TreeNode? parent, long createdIndex, DateTimeOffset? expireTime, string value, bool isDir)
    {
        Path = path;
        Name = path == StorePath.Root ? string.Empty : path[(path.LastIndexOf('/') + 1)..];
        Parent = parent;
        CreatedIndex = createdIndex;
        ModifiedIndex = createdIndex;
        ChangedIndex = createdIndex;
        ExpireTime = expireTime;
        Value = value;
        Children = isDir ? new Dictionary<string, TreeNode>(StringComparer.Ordinal) : null;
    }

    public string Path { get; }

    public string Name { get; }

    public TreeNode? Parent { get; set; }

    public long CreatedIndex { get; set; }

    public long ModifiedIndex { get; set; }

    /// <summary>
    /// The last index at which this node or anything beneath it changed, deletions of
    /// descendants included. It lets a watch with an index older than the history tell
    /// whether events it cares about were really dropped.
    /// </summary>
    public long ChangedIndex { get; set; }

    /// <summary>Null for a permanent node.</summary>
    public DateTimeOffset? ExpireTime { get; set; }

    public string Value { get; set; }

    /// <summary>Null for a file, a (possibly empty) map for a directory.</summary>
    public Dictionary<string, TreeNode>? Children { get; }

    /// <summary>Where this node sits in the expiration heap, -1 when it is not there.</summary>
    public int HeapPosition { get; set; } = -1;

    public bool IsDir => Children is not null;

    public bool IsHidden => StorePath.IsHiddenName(Name);

    public bool IsPermanent => ExpireTime is null;

    public static TreeNode NewFile(string path, TreeNode? parent, long createdIndex, string value, DateTimeOffset? expireTime) =>
        new(path, parent, createdIndex, expireTime, value, isDir: false);

    public static TreeNode NewDir(string path, TreeNode? parent, long createdIndex, DateTimeOffset? expireTime) =>
        new(path, parent, createdIndex, expireTime, string.Empty, isDir: true);

    /// <summary>Records that something at or beneath this node changed at <paramref name="index"/>, up to the root.</summary>
    public void MarkChanged(long index)
    {
        for (var node = this; node is not null; node = node.Parent)
        {
            if (node.ChangedIndex < index)
            {
                node.ChangedIndex = index;
            }
        }
    }
}
