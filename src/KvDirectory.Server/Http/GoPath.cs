namespace KvDirectory.Server.Http;

/// <summary>
/// URL path handling as Go's HTTP server does it for etcd: the path is percent-decoded first (so <c>%2F</c>
/// makes a nested key and <c>+</c> stays <c>+</c>), then a path that is not clean (<c>//</c>, <c>/./</c>, <c>/../</c>)
/// is answered with a 301 to its clean form instead of being served.
/// </summary>
public static class GoPath
{
    /// <summary>Decodes the raw request target's path; false when an escape is malformed.</summary>
    public static bool TryDecode(string rawPath, out string decoded) =>
        GoQueryParser.TryUnescape(rawPath, plusIsSpace: false, out decoded, out _);

    /// <summary>The path as Go's ServeMux would redirect to: lexically cleaned, a trailing slash kept.</summary>
    public static string CleanForRedirect(string path)
    {
        if (path.Length == 0)
        {
            return "/";
        }

        var cleaned = Clean(path.StartsWith('/') ? path : "/" + path);
        if (path.EndsWith('/') && cleaned != "/")
        {
            cleaned += "/";
        }

        return cleaned;
    }

    /// <summary>Lexical cleaning as Go's <c>path.Clean</c>: collapse slashes, drop <c>.</c>, resolve <c>..</c>, no trailing slash.</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            switch (segment)
            {
                case "":
                case ".":
                    break;
                case "..":
                    if (parts.Count > 0 && parts[^1] != "..")
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }
                    else if (!rooted)
                    {
                        parts.Add("..");
                    }

                    break;
                default:
                    parts.Add(segment);
                    break;
            }
        }

        var joined = string.Join('/', parts);
        if (rooted)
        {
            return "/" + joined;
        }

        return joined.Length == 0 ? "." : joined;
    }
}
