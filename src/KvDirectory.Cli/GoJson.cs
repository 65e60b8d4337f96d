using System.Globalization;
using System.Text;
using KvDirectory.Protocol;

namespace KvDirectory.Cli;

/// <summary>
/// Writes responses as etcdctl's <c>-o json</c> does: Go's encoding/json of the Go client's structs, which
/// always writes <c>value</c> and <c>nodes</c> (as null when absent), escapes &lt; &gt; &amp; and keeps other
/// characters as they are — System.Text.Json cannot be told to produce exactly that.
/// </summary>
public static class GoJson
{
    public static string Event(EtcdEvent response)
    {
        var builder = new StringBuilder();
        builder.Append("{\"action\":");
        AppendString(builder, response.Action);
        builder.Append(",\"node\":");
        AppendNode(builder, response.Node);
        builder.Append(",\"prevNode\":");
        AppendNode(builder, response.PrevNode);
        return builder.Append('}').ToString();
    }

    private static void AppendNode(StringBuilder builder, EtcdNode? node)
    {
        if (node is null)
        {
            builder.Append("null");
            return;
        }

        builder.Append("{\"key\":");
        AppendString(builder, node.Key ?? string.Empty);
        if (node.Dir)
        {
            builder.Append(",\"dir\":true");
        }

        builder.Append(",\"value\":");
        AppendString(builder, node.Value ?? string.Empty);
        builder.Append(",\"nodes\":");
        if (node.Nodes is null)
        {
            builder.Append("null");
        }
        else
        {
            builder.Append('[');
            for (var i = 0; i < node.Nodes.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                AppendNode(builder, node.Nodes[i]);
            }

            builder.Append(']');
        }

        builder.Append(CultureInfo.InvariantCulture, $",\"createdIndex\":{node.CreatedIndex},\"modifiedIndex\":{node.ModifiedIndex}");
        if (node.Expiration is { } expiration)
        {
            builder.Append(",\"expiration\":");
            AppendString(builder, GoTimeJsonConverter.Format(expiration));
        }

        if (node.Ttl != 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $",\"ttl\":{node.Ttl}");
        }

        builder.Append('}');
    }

    public static void AppendString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
