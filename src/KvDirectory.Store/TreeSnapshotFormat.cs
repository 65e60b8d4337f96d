using System.Buffers;
using System.Text;
using KvDirectory.Wire;

namespace KvDirectory.Store;

/// <summary>
/// The snapshot bytes: a format version, the current index, then the tree depth first with
/// children in ordinal name order. The order makes the bytes canonical, so equal trees give
/// equal bytes (and the digest is simply a hash of them). Version 2 appends the auth namespace's tree; a store
/// whose auth namespace is empty still writes version 1, so snapshots and digests without auth keep their bytes.
/// </summary>
internal static class TreeSnapshotFormat
{
    private const byte FormatVersion = 1;
    private const byte FormatVersionWithAuth = 2;
    private const byte FileKind = 0;
    private const byte DirKind = 1;

    /// <summary>The fewest bytes a node takes: name length and one character, kind, three indexes, expiry flag, value length.</summary>
    private const int MinimalNodeBytes = 8;

    /// <summary>Deeper trees than this are rejected as damaged rather than risking the stack.</summary>
    private const int MaxDepth = 1_000;

    /// <summary>Names up to this many bytes are decoded on the stack.</summary>
    private const int MaxStackName = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="capture">The capture the trees are read as (on a thread other than the applier); null: the trees as they are, read under the store's lock.</param>
    public static byte[] Write(TreeNode root, TreeNode authRoot, long currentIndex, TreeCapture? capture)
    {
        using var buffer = new SegmentedBufferWriter(SegmentedBufferWriter.SegmentSize);
        Write(buffer, root, authRoot, currentIndex, capture);
        return buffer.ToArray();
    }

    /// <inheritdoc cref="Write(TreeNode, TreeNode, long, TreeCapture?)"/>
    public static void Write(IBufferWriter<byte> buffer, TreeNode root, TreeNode authRoot, long currentIndex, TreeCapture? capture)
    {
        var withAuth = authRoot.Read(capture).Children is { Length: > 0 };
        var w = new WireWriter(buffer);
        w.Byte(withAuth ? FormatVersionWithAuth : FormatVersion);
        w.SignedVarint(currentIndex);
        WriteNode(ref w, root, capture);
        if (withAuth)
        {
            WriteNode(ref w, authRoot, capture);
        }

        w.Flush();
    }

    /// <exception cref="WireFormatException">The bytes are not a snapshot this version understands.</exception>
    public static (TreeNode Root, TreeNode AuthRoot, long CurrentIndex) Read(ReadOnlySpan<byte> bytes)
    {
        var r = new WireReader(bytes);
        var version = r.Byte();
        if (version is not (FormatVersion or FormatVersionWithAuth))
        {
            throw new WireFormatException($"Unknown snapshot format version {version}.");
        }

        var currentIndex = r.SignedVarint();
        if (currentIndex < 0)
        {
            throw new WireFormatException("Negative store index.");
        }

        var root = ReadRoot(ref r);
        var authRoot = version == FormatVersionWithAuth ? ReadRoot(ref r) : TreeNode.NewDir(StorePath.Root, null, 0, null);
        r.ExpectEnd();
        return (root, authRoot, currentIndex);
    }

    private static TreeNode ReadRoot(ref WireReader r)
    {
        var root = ReadNode(ref r, parent: null, depth: 0);
        if (!root.IsDir || root.Name.Length != 0)
        {
            throw new WireFormatException("The snapshot root is not the root directory.");
        }

        return root;
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
        TreeChildren.SortByName(children);
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

        var path = ReadPath(ref r, parent);

        var kind = r.Byte();
        var createdIndex = r.SignedVarint();
        var modifiedIndex = r.SignedVarint();
        var changedIndex = r.SignedVarint();
        var expireTime = r.OptionalTime();
        TreeNode node;
        switch (kind)
        {
            case FileKind:
                node = TreeNode.NewFile(path, parent, createdIndex, r.String(), expireTime);
                break;
            case DirKind:
                node = TreeNode.NewDir(path, parent, createdIndex, expireTime);
                var count = r.UnsignedVarint();
                // Sized once (bounded by what the remaining bytes can hold): grown by doubling, a million-entry child
                // table overshot its size and left its earlier tables as large-object garbage after every restart.
                node.Children!.EnsureCapacity((int)Math.Min(count, (ulong)(r.Remaining / MinimalNodeBytes)));
                for (ulong i = 0; i < count; i++)
                {
                    var child = ReadNode(ref r, node, depth + 1);
                    if (!node.Children!.Add(child))
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

    /// <summary>
    /// The node's path: its parent's and its name, decoded straight into it. The name is the path's tail, so a string of
    /// its own would be garbage at once (a million of them on a million-key restore).
    /// </summary>
    private static string ReadPath(ref WireReader r, TreeNode? parent)
    {
        var start = r.Position;
        var bytes = r.Chunk(LengthPrefix.Varint);
        // A UTF-8 string has at most one character per byte.
        Span<char> buffer = bytes.Length <= MaxStackName ? stackalloc char[MaxStackName] : new char[bytes.Length];
        int length;
        try
        {
            length = StrictUtf8.GetChars(bytes, buffer);
        }
        catch (DecoderFallbackException ex)
        {
            throw new WireFormatException($"string at offset {start} is not valid UTF-8", ex);
        }

        var name = buffer[..length];
        if (parent is null)
        {
            return StorePath.Root;
        }

        if (name.IsEmpty || name.Contains('/') || name is "." or "..")
        {
            throw new WireFormatException($"Invalid node name '{name.ToString()}'.");
        }

        return parent.Path == StorePath.Root ? string.Concat(StorePath.Root, name) : string.Concat(parent.Path, "/", name);
    }
}
