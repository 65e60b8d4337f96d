using System.Text.Json;
using KvDirectory.Protocol;

namespace KvDirectory.Store;

/// <summary>
/// The answer of a GET written straight from the tree as JSON, in the shape and order <see cref="EtcdEvent"/> and
/// <see cref="EtcdNode"/> serialise to (etcd's NodeExtern: key, value, dir, expiration, ttl, nodes, modifiedIndex,
/// createdIndex; empty ones left out) and with the writer's Go escaping. <see cref="NodeRendering"/> built a record per
/// node only for it to be serialised: 10,000 records and their list for a recursive GET of 10,000 keys.
/// </summary>
internal static class NodeJson
{
    private static readonly JsonEncodedText Action = JsonEncodedText.Encode("action");
    private static readonly JsonEncodedText GetAction = JsonEncodedText.Encode(EtcdActions.Get);
    private static readonly JsonEncodedText Node = JsonEncodedText.Encode("node");
    private static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Dir = JsonEncodedText.Encode("dir");
    private static readonly JsonEncodedText Expiration = JsonEncodedText.Encode("expiration");
    private static readonly JsonEncodedText Ttl = JsonEncodedText.Encode("ttl");
    private static readonly JsonEncodedText Nodes = JsonEncodedText.Encode("nodes");
    private static readonly JsonEncodedText ModifiedIndex = JsonEncodedText.Encode("modifiedIndex");
    private static readonly JsonEncodedText CreatedIndex = JsonEncodedText.Encode("createdIndex");

    /// <summary>The event a GET answers (<see cref="NodeRendering.RenderForGet"/>'s node under action <c>get</c>).</summary>
    public static void WriteGetEvent(Utf8JsonWriter writer, TreeNode node, bool recursive, bool sorted, DateTimeOffset now)
    {
        writer.WriteStartObject();
        writer.WriteString(Action, GetAction);
        writer.WritePropertyName(Node);
        // As RenderForGet: a directory always lists its direct children, and the root shows neither key nor indexes.
        WriteNode(writer, node, listChildren: node.IsDir, recursive, sorted, now, isGetRoot: node.Parent is null);
        writer.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter writer, TreeNode node, bool listChildren, bool recursive, bool sorted, DateTimeOffset now, bool isGetRoot = false)
    {
        writer.WriteStartObject();
        if (!isGetRoot)
        {
            writer.WriteString(Key, node.Path);
        }

        if (node.IsDir)
        {
            writer.WriteBoolean(Dir, true);
        }
        else
        {
            writer.WriteString(Value, node.Value);
        }

        if (!node.IsPermanent)
        {
            var (expiration, ttl) = NodeRendering.ExpirationAndTtl(node, now);
            writer.WriteString(Expiration, GoTimeJsonConverter.Format(expiration!.Value));
            if (ttl != 0)
            {
                writer.WriteNumber(Ttl, ttl);
            }
        }

        if (listChildren)
        {
            WriteChildren(writer, node.Children!, recursive, sorted, now);
        }

        if (!isGetRoot)
        {
            WriteIndex(writer, ModifiedIndex, node.ModifiedIndex);
            WriteIndex(writer, CreatedIndex, node.CreatedIndex);
        }

        writer.WriteEndObject();
    }

    /// <summary>The visible children; no <c>nodes</c> at all when there are none, as for an empty directory.</summary>
    private static void WriteChildren(Utf8JsonWriter writer, TreeChildren children, bool recursive, bool sorted, DateTimeOffset now)
    {
        var started = false;
        if (sorted)
        {
            foreach (var child in children.SortedByName())
            {
                WriteChild(writer, child, ref started, recursive, sorted, now);
            }
        }
        else
        {
            foreach (var child in children)
            {
                WriteChild(writer, child, ref started, recursive, sorted, now);
            }
        }

        if (started)
        {
            writer.WriteEndArray();
        }
    }

    private static void WriteChild(Utf8JsonWriter writer, TreeNode child, ref bool started, bool recursive, bool sorted, DateTimeOffset now)
    {
        if (child.IsHidden)
        {
            return;
        }

        if (!started)
        {
            writer.WriteStartArray(Nodes);
            started = true;
        }

        WriteNode(writer, child, listChildren: recursive && child.IsDir, recursive, sorted, now);
    }

    /// <summary>Zero is left out, as the record's default.</summary>
    private static void WriteIndex(Utf8JsonWriter writer, JsonEncodedText name, long index)
    {
        if (index != 0)
        {
            writer.WriteNumber(name, index);
        }
    }
}
