using System.Runtime.CompilerServices;

namespace KvDirectory.Store;

/// <summary>
/// A key or directory inside the store. Mutable and private to the store: callers only
/// ever see fresh <see cref="KvDirectory.Protocol.EtcdNode"/> copies built under the lock.
/// Every change of what a snapshot holds goes through a method that takes the open <see cref="TreeCapture"/> (if any),
/// so a snapshot being serialised on another thread keeps seeing the tree as it was when it was captured.
/// A million of them make up a node's memory, so nothing is stored that can be derived cheaply: the name is the tail
/// of the path, the value and the children share one field, the expiry is UTC ticks (88 bytes a node, 120 before).
/// </summary>
internal sealed class TreeNode
{
    /// <summary>The state an open capture needs, copied before the first change after it; null otherwise.</summary>
    private Preserved? _preserved;

    /// <summary>A file's value (a string) or a directory's <see cref="TreeChildren"/>.</summary>
    private object _content;

    /// <summary>UTC ticks; 0 for a permanent node.</summary>
    private long _expireTicks;

    /// <summary>Where the name starts in <see cref="Path"/> (the path's length for the root, whose name is empty).</summary>
    private readonly int _nameStart;

    private TreeNode(string path, TreeNode? parent, long createdIndex, DateTimeOffset? expireTime, object content)
    {
        Path = path;
        _nameStart = path.LastIndexOf('/') + 1;
        Parent = parent;
        CreatedIndex = createdIndex;
        ModifiedIndex = createdIndex;
        ChangedIndex = createdIndex;
        _expireTicks = ToTicks(expireTime);
        _content = content;
    }

    public string Path { get; }

    public ReadOnlySpan<char> Name => Path.AsSpan(_nameStart);

    public TreeNode? Parent { get; }

    public long CreatedIndex { get; }

    public long ModifiedIndex { get; private set; }

    /// <summary>
    /// The last index at which this node or anything beneath it changed, deletions of
    /// descendants included. It lets a watch with an index older than the history tell
    /// whether events it cares about were really dropped.
    /// </summary>
    public long ChangedIndex { get; private set; }

    /// <summary>Null for a permanent node.</summary>
    public DateTimeOffset? ExpireTime => _expireTicks == 0 ? null : new DateTimeOffset(_expireTicks, TimeSpan.Zero);

    /// <summary>When a node that expires does, in UTC ticks (0 for a permanent node).</summary>
    public long ExpireUtcTicks => _expireTicks;

    /// <summary>Empty for a directory.</summary>
    public string Value => _content as string ?? string.Empty;

    /// <summary>Null for a file, a (possibly empty) set for a directory. Read-only outside: change it with <see cref="AddChild"/> and <see cref="RemoveChild"/>.</summary>
    public TreeChildren? Children => _content as TreeChildren;

    /// <summary>Where this node sits in the expiration heap, -1 when it is not there.</summary>
    public int HeapPosition { get; set; } = -1;

    public bool IsDir => _content is TreeChildren;

    public bool IsHidden => _nameStart < Path.Length && Path[_nameStart] == '_';

    public bool IsPermanent => _expireTicks == 0;

    public static TreeNode NewFile(string path, TreeNode? parent, long createdIndex, string value, DateTimeOffset? expireTime) =>
        new(path, parent, createdIndex, expireTime, value);

    public static TreeNode NewDir(string path, TreeNode? parent, long createdIndex, DateTimeOffset? expireTime) =>
        new(path, parent, createdIndex, expireTime, new TreeChildren());

    /// <summary>A node read from a snapshot, before it is linked into a tree (no capture can see it yet).</summary>
    public void RestoreIndexes(long modifiedIndex, long changedIndex)
    {
        ModifiedIndex = modifiedIndex;
        ChangedIndex = changedIndex;
    }

    public void SetValue(string value, long modifiedIndex, TreeCapture? capture)
    {
        PreserveFields(capture);
        _content = value;
        ModifiedIndex = modifiedIndex;
    }

    public void SetExpireTime(DateTimeOffset? expireTime, TreeCapture? capture)
    {
        PreserveFields(capture);
        _expireTicks = ToTicks(expireTime);
    }

    public void AddChild(TreeNode child, TreeCapture? capture)
    {
        PreserveChildren(capture);
        Children!.Add(child);
    }

    public void RemoveChild(TreeNode child, TreeCapture? capture)
    {
        PreserveChildren(capture);
        Children!.Remove(child);
    }

    /// <summary>Records that something at or beneath this node changed at <paramref name="index"/>, up to the root.</summary>
    public void MarkChanged(long index, TreeCapture? capture)
    {
        for (var node = this; node is not null; node = node.Parent)
        {
            if (node.ChangedIndex < index)
            {
                node.PreserveFields(capture);
                node.ChangedIndex = index;
            }
        }
    }

    /// <summary>
    /// The node as <paramref name="capture"/> saw it (null: as it is now, for a reader that excludes the applier).
    /// Runs on the serialising thread while the applier may be changing this node: it reads the live state, then
    /// looks for a preserved copy. The applier publishes a copy (with a full fence) before its first change, so if no
    /// copy shows up after the read, no change had begun when the live state was read and that state is the captured
    /// one; if one does, the live read may be torn (or may even have thrown) and the copy is used instead.
    /// </summary>
    public NodeState Read(TreeCapture? capture)
    {
        if (capture is null)
        {
            return new NodeState(ModifiedIndex, ChangedIndex, ExpireTime, Value, Children?.ToArray());
        }

        var epoch = capture.Epoch;
        var fields = new NodeState(ModifiedIndex, ChangedIndex, ExpireTime, Value, null);
        TreeNode[]? children = null;
        try
        {
            children = Children?.ToArray();
        }
        catch (Exception) when (Volatile.Read(ref _preserved)?.Epoch == epoch)
        {
            // Enumerating the children raced a change the applier announced first; its copy answers below.
        }

        Interlocked.MemoryBarrier();
        var preserved = Volatile.Read(ref _preserved);
        if (preserved?.Epoch == epoch)
        {
            fields = Volatile.Read(ref preserved.Fields)?.Value ?? fields;
            children = Volatile.Read(ref preserved.Children) ?? children;
        }

        return IsDir && children is null
            ? throw new InvalidOperationException($"The children of {Path} changed during a capture without being preserved.")
            : fields with { Children = children };
    }

    /// <summary>Applier thread, once the capture of <paramref name="epoch"/> is written: the copy is no longer needed.</summary>
    public void DropPreserved(int epoch)
    {
        if (_preserved?.Epoch == epoch)
        {
            Volatile.Write(ref _preserved, null);
        }
    }

    private Preserved PreservedFor(TreeCapture capture)
    {
        var preserved = _preserved;
        if (preserved?.Epoch == capture.Epoch)
        {
            return preserved;
        }

        preserved = new Preserved(capture.Epoch);
        Interlocked.Exchange(ref _preserved, preserved);
        capture.Preserved(this);
        return preserved;
    }

    private void PreserveFields(TreeCapture? capture)
    {
        if (capture is null || capture.IsWritten)
        {
            return;
        }

        var preserved = PreservedFor(capture);
        if (preserved.Fields is null)
        {
            // The full fence orders the copy before the change that follows (see Read).
            Interlocked.Exchange(ref preserved.Fields, new StrongBox<NodeState>(new NodeState(ModifiedIndex, ChangedIndex, ExpireTime, Value, null)));
        }
    }

    private void PreserveChildren(TreeCapture? capture)
    {
        if (capture is null || capture.IsWritten)
        {
            return;
        }

        var preserved = PreservedFor(capture);
        if (preserved.Children is null)
        {
            // O(children) once per directory and capture: the price of an O(1) capture for a directory that changes.
            Interlocked.Exchange(ref preserved.Children, Children!.ToArray());
        }
    }

    private static long ToTicks(DateTimeOffset? time) => time?.UtcTicks ?? 0;

    /// <summary>What a snapshot holds of a node besides its name and createdIndex (which never change).</summary>
    public readonly record struct NodeState(long ModifiedIndex, long ChangedIndex, DateTimeOffset? ExpireTime, string Value, TreeNode[]? Children);

    /// <summary>The copies made for one capture; each part published once, before the change it protects.</summary>
    private sealed class Preserved(int epoch)
    {
        public StrongBox<NodeState>? Fields;
        public TreeNode[]? Children;

        public int Epoch { get; } = epoch;
    }
}
