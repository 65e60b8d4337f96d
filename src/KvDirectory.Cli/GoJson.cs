using System.Buffers;
using System.Text;
using System.Text.Json;
using KvDirectory.Protocol;

namespace KvDirectory.Cli;

/// <summary>
/// Writes responses as etcdctl's <c>-o json</c> does: Go's encoding/json of the Go client's structs, which always writes
/// <c>value</c> and <c>nodes</c> (as null when absent) in that struct's field order — so written field by field, with
/// strings escaped by the server's own <see cref="GoJsonEncoder"/>.
/// </summary>
public static class GoJson
{
    public static string Event(EtcdEvent response) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("action", response.Action);
        writer.WritePropertyName("node");
        WriteNode(writer, response.Node);
        writer.WritePropertyName("prevNode");
        WriteNode(writer, response.PrevNode);
        writer.WriteEndObject();
    });

    /// <summary>Rows as an array of objects, each cell a string named by its header (spaces as underscores).</summary>
    public static string Table(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows) => Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var row in rows)
        {
            writer.WriteStartObject();
            for (var c = 0; c < headers.Count; c++)
            {
                writer.WriteString(headers[c].Replace(' ', '_'), row[c]);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, GoJsonEncoder.WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteNode(Utf8JsonWriter writer, EtcdNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("key", node.Key ?? string.Empty);
        if (node.Dir)
        {
            writer.WriteBoolean("dir", true);
        }

        writer.WriteString("value", node.Value ?? string.Empty);
        writer.WritePropertyName("nodes");
        if (node.Nodes is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStartArray();
            foreach (var child in node.Nodes)
            {
                WriteNode(writer, child);
            }

            writer.WriteEndArray();
        }

        writer.WriteNumber("createdIndex", node.CreatedIndex);
        writer.WriteNumber("modifiedIndex", node.ModifiedIndex);
        if (node.Expiration is { } expiration)
        {
            writer.WriteString("expiration", GoTimeJsonConverter.Format(expiration));
        }

        if (node.Ttl != 0)
        {
            writer.WriteNumber("ttl", node.Ttl);
        }

        writer.WriteEndObject();
    }
}
