using System.Buffers;
using KvDirectory.Wire;

namespace KvDirectory.Store;

/// <summary>
/// The snapshot bytes: a format version, the current index, then the tree depth first with
/// children in ordinal name order. The order makes the bytes canonical, so equal trees give
/// equal bytes (and the digest is simply a hash of them).
/// </summary>
internal static class TreeSnapshotFormat
{
    private const byte FormatVersion = 1;
    private const byte FileKind = 0;
    private const byte DirKind = 1;

    /// <summary>Deeper trees than this are rejected as damaged rather than risking the stack.</summary>
    private const int MaxDepth = 1_000;

    /// <param name="capture">The capture the tree is read as (on a thread other than the applier); null: the tree as it is, read under the store's lock.</param>
    public static byte[] Write(TreeNode root, long currentIndex, TreeCapture? capture)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var w = new WireWriter(buffer);
        w.Byte(FormatVersion);
        w.SignedVarint(currentIndex);
        WriteNode(ref w, root, capture);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="WireFormatException">The bytes are not a snapshot this version understands.</exception>
    public static (TreeNode Root, long CurrentIndex) Read(ReadOnlySpan<byte> bytes)
    {
        var r = new WireReader(bytes);
        r.Version(FormatVersion, "store snapshot");

        var currentIndex = r.SignedVarint();
        if (currentIndex < 0)
        {
            throw new WireFormatException("Negative store index.");
        }

        var root = ReadNode(ref r, parent: null, depth: 0);
        if (!root.IsDir || root.Name.Length != 0)
        {
            throw new WireFormatException("The snapshot root is not the root directory.");
        }

        r.ExpectEnd();
        return (root, currentIndex);
    }

    private static void WriteNode(ref WireWriter w, TreeNode node, TreeCapture? capture)
    {
        var state = node.Read(capture);
        w.String(node.Name);
        w.Byte(node.IsDir ? DirKind : FileKind);
        w.SignedVarint(node.CreatedIndex);
        w.SignedVarint(state.ModifiedIndex);
        w.SignedVarint(state.ChangedIndex);
        w.OptionalTime(state.ExpireTime);
        if (state.Children is not { } children)
        {
            w.String(state.Value);
            return;
        }

        // The array is the node's own copy (Read copies or preserved it), so sorting it in place is safe.
        Array.Sort(children, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        w.UnsignedVarint((ulong)children.Length);
        foreach (var child in children)
        {
            WriteNode(ref w, child, capture);
        }
    }

    private static TreeNode ReadNode(ref WireReader r, TreeNode? parent, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new WireFormatException("The snapshot tree is implausibly deep.");
        }

        var name = r.String();
        if (parent is not null && (name.Length == 0 || name.Contains('/') || name is "." or ".."))
        {
            throw new WireFormatException($"Invalid node name '{name}'.");
        }

        var kind = r.Byte();
        var createdIndex = r.SignedVarint();
        var modifiedIndex = r.SignedVarint();
        var changedIndex = r.SignedVarint();
        var expireTime = r.OptionalTime();
        var path = parent is null ? StorePath.Root : StorePath.Join(parent.Path, name);
        TreeNode node;
        switch (kind)
        {
            case FileKind:
                node = TreeNode.NewFile(path, parent, createdIndex, r.String(), expireTime);
                break;
            case DirKind:
                node = TreeNode.NewDir(path, parent, createdIndex, expireTime);
                var count = r.UnsignedVarint();
                for (ulong i = 0; i < count; i++)
                {
                    var child = ReadNode(ref r, node, depth + 1);
                    if (!node.Children!.TryAdd(child.Name, child))
                    {
                        throw new WireFormatException($"Duplicate child '{child.Name}' in {path}.");
                    }
                }

                break;
            default:
                throw new WireFormatException($"Unknown node kind {kind}.");
        }

        node.RestoreIndexes(modifiedIndex, changedIndex);
        return node;
    }
}
