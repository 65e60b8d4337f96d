using System.Text;

namespace KvDirectory.Protocol;

/// <summary>
/// URL building exactly as Go's net/url does it, so the requests (and the curl lines printed by
/// <c>--debug</c>) match etcdctl's byte for byte.
/// </summary>
public static class GoUrl
{
    /// <summary>The path of a key under <c>/v2/keys</c>: cleaned like etcd's CanonicalURLPath, trailing slash kept.</summary>
    public static string KeyPath(string key)
    {
        if (!key.StartsWith('/'))
        {
            key = "/" + key;
        }

        return EscapePath(CanonicalPath("/v2/keys" + key));
    }

    public static string CanonicalPath(string path)
    {
        var trailingSlash = path.Length > 1 && path.EndsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        var cleaned = "/" + string.Join('/', parts);
        return trailingSlash && cleaned != "/" ? cleaned + "/" : cleaned;
    }

    /// <summary>Encodes name/value pairs sorted by name, as Go's <c>url.Values.Encode</c>.</summary>
    public static string EncodeQuery(IEnumerable<KeyValuePair<string, string>> values) =>
        string.Join('&', values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => QueryEscape(p.Key) + "=" + QueryEscape(p.Value)));

    public static string QueryEscape(string value) => Escape(value, isPath: false);

    public static string EscapePath(string value) => Escape(value, isPath: true);

    private static string Escape(string value, bool isPath)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else if (isPath && c is '$' or '&' or '+' or ',' or '/' or ':' or ';' or '=' or '@')
            {
                builder.Append(c);
            }
            else if (!isPath && c == ' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Go's <c>%q</c>: a double-quoted string with Go escapes.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                    {
                        builder.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
