using System.Buffers;
using KvDirectory.Protocol;

namespace KvDirectory.Store;

/// <summary>
/// The answer of a GET written straight from the tree as JSON, in the shape and order <see cref="EtcdEvent"/> and
/// <see cref="EtcdNode"/> serialise to (etcd's NodeExtern: key, value, dir, expiration, ttl, nodes, modifiedIndex,
/// createdIndex; empty ones left out) and with Go's escaping. <see cref="NodeRendering"/> built a record per node only for
/// it to be serialised: 10,000 records and their list for a recursive GET of 10,000 keys.
/// </summary>
internal static class NodeJson
{
    /// <summary>
    /// The event a GET answers (<see cref="NodeRendering.RenderForGet"/>'s node under action <c>get</c>). Returns whether
    /// the answer shows a <c>ttl</c> or <c>expiration</c>: only then does the same tree at another time answer differently.
    /// </summary>
    public static bool WriteGetEvent(IBufferWriter<byte> output, TreeNode node, bool recursive, bool sorted, DateTimeOffset now)
    {
        var writer = new GoJsonWriter(output);
        writer.WriteRaw("{\"action\":\"get\",\"node\":"u8);
        bool expires;
        if (node.Parent is null)
        {
            // As RenderForGet: the root shows neither key nor indexes (and never expires).
            writer.WriteRaw("{\"dir\":true"u8);
            expires = WriteChildren(ref writer, node.Children!, recursive, sorted, now);
            writer.WriteRaw("}"u8);
        }
        else
        {
            // A directory always lists its direct children.
            expires = WriteNode(ref writer, node, listChildren: node.IsDir, recursive, sorted, now);
        }

        writer.WriteRaw("}"u8);
        writer.Flush();
        return expires;
    }

    /// <summary>Returns whether the node or a node listed under it expires.</summary>
    private static bool WriteNode(ref GoJsonWriter writer, TreeNode node, bool listChildren, bool recursive, bool sorted, DateTimeOffset now)
    {
        writer.WriteRaw("{\"key\":"u8);
        writer.WriteString(node.Path);
        if (node.IsDir)
        {
            writer.WriteRaw(",\"dir\":true"u8);
        }
        else
        {
            writer.WriteRaw(",\"value\":"u8);
            writer.WriteString(node.Value);
        }

        if (!node.IsPermanent)
        {
            var (expiration, ttl) = NodeRendering.ExpirationAndTtl(node, now);
            writer.WriteRaw(",\"expiration\":"u8);
            writer.WriteString(GoTimeJsonConverter.Format(expiration!.Value));
            if (ttl != 0)
            {
                writer.WriteRaw(",\"ttl\":"u8);
                writer.WriteNumber(ttl);
            }
        }

        var expires = !node.IsPermanent;
        if (listChildren)
        {
            expires |= WriteChildren(ref writer, node.Children!, recursive, sorted, now);
        }

        // Zero is left out, as the record's default.
        if (node.ModifiedIndex != 0)
        {
            writer.WriteRaw(",\"modifiedIndex\":"u8);
            writer.WriteNumber(node.ModifiedIndex);
        }

        if (node.CreatedIndex != 0)
        {
            writer.WriteRaw(",\"createdIndex\":"u8);
            writer.WriteNumber(node.CreatedIndex);
        }

        writer.WriteRaw("}"u8);
        return expires;
    }

    /// <summary>
    /// The visible children; no <c>nodes</c> at all when there are none, as for an empty directory. Returns whether one
    /// of them (or a node under one) expires.
    /// </summary>
    private static bool WriteChildren(ref GoJsonWriter writer, TreeChildren children, bool recursive, bool sorted, DateTimeOffset now)
    {
        var written = 0;
        var expires = false;
        if (sorted)
        {
            foreach (var child in children.SortedByName())
            {
                expires |= WriteChild(ref writer, child, ref written, recursive, sorted, now);
            }
        }
        else
        {
            foreach (var child in children)
            {
                expires |= WriteChild(ref writer, child, ref written, recursive, sorted, now);
            }
        }

        if (written > 0)
        {
            writer.WriteRaw("]"u8);
        }

        return expires;
    }

    private static bool WriteChild(ref GoJsonWriter writer, TreeNode child, ref int written, bool recursive, bool sorted, DateTimeOffset now)
    {
        if (child.IsHidden)
        {
            return false;
        }

        writer.WriteRaw(written == 0 ? ",\"nodes\":["u8 : ","u8);
        written++;
        return WriteNode(ref writer, child, listChildren: recursive && child.IsDir, recursive, sorted, now);
    }
}
