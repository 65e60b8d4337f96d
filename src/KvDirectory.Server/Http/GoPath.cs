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

        // Almost every request's path is clean already: answered without allocating.
        var body = path.Length > 1 && path[^1] == '/' ? path.AsSpan(0, path.Length - 1) : path.AsSpan();
        if (path[0] == '/' && (body.Length > 1 || path.Length == 1) && IsClean(body))
        {
            return path;
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

        if (IsClean(path))
        {
            return path;
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

    /// <summary>
    /// True when <see cref="Clean"/> would return <paramref name="path"/> itself: no empty, <c>.</c> or <c>..</c>
    /// segment and no trailing slash (the root alone excepted).
    /// </summary>
    private static bool IsClean(ReadOnlySpan<char> path)
    {
        if (path.Length == 0)
        {
            return false;
        }

        if (path.Length == 1)
        {
            return path[0] != '.';
        }

        var start = path[0] == '/' ? 1 : 0;
        for (var i = start; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != '/')
            {
                continue;
            }

            var segment = path[start..i];
            if (segment.Length == 0 || segment is "." or "..")
            {
                return false;
            }

            start = i + 1;
        }

        return true;
    }
}
