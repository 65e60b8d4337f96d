using KvDirectory.Protocol;
using KvDirectory.Protocol.Dump;
using KvDirectory.Store.Browsing;

namespace KvDirectory.Store;

/// <summary>
/// Read-only views for the browser explorer: paged listings with child counts, subtree sizes, a key's recent
/// history and subtree dumps. They read under the read lock and return fresh records, like <see cref="Get"/>; none of
/// them changes what <c>/v2/keys</c> answers.
/// </summary>
public sealed partial class V2Store
{
    /// <summary>How much of a value a listing row carries.</summary>
    public const int PreviewLength = 256;

    /// <summary>The largest window one listing call returns.</summary>
    public const int MaxPageSize = 1000;

    private SortedChildrenCache? _sortedCache;

    /// <summary>Children <paramref name="offset"/> to <paramref name="offset"/>+<paramref name="limit"/> of a directory, by name.</summary>
    public DirectoryPage ListPage(string path, int offset, int limit, bool includeHidden)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        limit = Math.Clamp(limit, 0, MaxPageSize);
        path = StorePath.Normalize(path);
        _lock.EnterReadLock();
        try
        {
            var node = Lookup(path);
            var now = Now;
            if (!node.IsDir)
            {
                return new DirectoryPage { Node = ToEntry(node, includeHidden, now), ChangedIndex = node.ChangedIndex, Children = [], EtcdIndex = _currentIndex };
            }

            var children = SortedChildren(node, includeHidden);
            var rows = new List<BrowseEntry>(Math.Max(0, Math.Min(limit, children.Length - offset)));
            for (var i = offset; i < children.Length && rows.Count < limit; i++)
            {
                rows.Add(ToEntry(children[i], includeHidden, now));
            }

            return new DirectoryPage
            {
                Node = ToEntry(node, includeHidden, now),
                ChangedIndex = node.ChangedIndex,
                Total = children.Length,
                Offset = offset,
                Children = rows,
                EtcdIndex = _currentIndex,
            };
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Counts the keys and directories at and beneath a node, hidden ones included (a recursive delete takes them all).</summary>
    public SubtreeSize CountSubtree(string path)
    {
        path = StorePath.Normalize(path);
        _lock.EnterReadLock();
        try
        {
            var node = Lookup(path);
            var (keys, dirs) = Count(node);
            return new SubtreeSize(keys, dirs, node.ChangedIndex, _currentIndex);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The events of the history that touched exactly this key (or removed a directory above it), newest first.</summary>
    public KeyHistory History(string path, int limit)
    {
        path = StorePath.Normalize(path);
        _lock.EnterReadLock();
        try
        {
            var events = _history.Scan(path, recursive: false, sinceIndex: 0).ToList();
            events.Reverse();
            return new KeyHistory([.. events.Take(Math.Max(0, limit))], _history.OldestIndex, _currentIndex);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// A subtree as a <see cref="KeyDump"/>: every directory before its children, children by name, hidden keys
    /// included, TTLs as seconds left. A key (not a directory) dumps as itself.
    /// </summary>
    public KeyDump Dump(string path, DateTimeOffset exportedAt)
    {
        path = StorePath.Normalize(path);
        _lock.EnterReadLock();
        try
        {
            var node = Lookup(path);
            var entries = new List<KeyDumpEntry>();
            var now = Now;
            if (node.IsDir)
            {
                AddChildren(node, entries, now);
            }
            else
            {
                entries.Add(DumpEntry(node, now));
            }

            return new KeyDump { Prefix = path, EtcdIndex = _currentIndex, ExportedAt = exportedAt, Nodes = entries };
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private static void AddChildren(TreeNode dir, List<KeyDumpEntry> entries, DateTimeOffset now)
    {
        foreach (var child in dir.Children!.SortedByName())
        {
            entries.Add(DumpEntry(child, now));
            if (child.IsDir)
            {
                AddChildren(child, entries, now);
            }
        }
    }

    private static KeyDumpEntry DumpEntry(TreeNode node, DateTimeOffset now) => new()
    {
        Key = node.Path,
        Dir = node.IsDir,
        Value = node.IsDir ? null : node.Value,
        Ttl = NodeRendering.ExpirationAndTtl(node, now).Ttl,
        CreatedIndex = node.CreatedIndex,
        ModifiedIndex = node.ModifiedIndex,
    };

    private static (int Keys, int Dirs) Count(TreeNode node)
    {
        if (!node.IsDir)
        {
            return (1, 0);
        }

        var (keys, dirs) = (0, 1);
        foreach (var child in node.Children!)
        {
            var (k, d) = Count(child);
            keys += k;
            dirs += d;
        }

        return (keys, dirs);
    }

    private static BrowseEntry ToEntry(TreeNode node, bool includeHidden, DateTimeOffset now)
    {
        var (expiration, ttl) = NodeRendering.ExpirationAndTtl(node, now);
        var truncated = !node.IsDir && node.Value.Length > PreviewLength;
        return new BrowseEntry
        {
            Key = node.Path,
            Name = node.Name.ToString(),
            Dir = node.IsDir,
            Value = node.IsDir ? null : truncated ? node.Value[..PreviewLength] : node.Value,
            Truncated = truncated,
            Expiration = expiration,
            Ttl = ttl,
            CreatedIndex = node.CreatedIndex,
            ModifiedIndex = node.ModifiedIndex,
            ChildCount = node.IsDir ? CountChildren(node, includeHidden) : 0,
            Hidden = node.IsHidden,
        };
    }

    private static int CountChildren(TreeNode dir, bool includeHidden)
    {
        if (includeHidden)
        {
            return dir.Children!.Count;
        }

        var count = 0;
        foreach (var child in dir.Children!)
        {
            if (!child.IsHidden)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// A directory's children in name order. Scrolling a huge directory asks for many windows of the same listing, so the
    /// last big one is kept until anything beneath it changes (its <see cref="TreeNode.ChangedIndex"/> moves).
    /// </summary>
    private TreeNode[] SortedChildren(TreeNode dir, bool includeHidden)
    {
        const int CacheFrom = 1000;
        var cached = Volatile.Read(ref _sortedCache);
        if (cached is not null && ReferenceEquals(cached.Dir, dir) && cached.ChangedIndex == dir.ChangedIndex && cached.IncludeHidden == includeHidden)
        {
            return cached.Children;
        }

        var children = dir.Children!.Where(child => includeHidden || !child.IsHidden).ToArray();
        TreeChildren.SortByName(children);
        if (children.Length >= CacheFrom)
        {
            Volatile.Write(ref _sortedCache, new SortedChildrenCache(dir, dir.ChangedIndex, includeHidden, children));
        }

        return children;
    }

    /// <summary>Immutable, so readers under the shared lock can swap it without more locking.</summary>
    private sealed record SortedChildrenCache(TreeNode Dir, long ChangedIndex, bool IncludeHidden, TreeNode[] Children);
}
