namespace KvDirectory.Store;

/// <summary>Key path rules of the v2 store: cleaning, splitting, ancestry and hidden components.</summary>
internal static class StorePath
{
    public const string Root = "/";

    /// <summary>
    /// Cleans a path the way etcd's store does (<c>path.Clean(path.Join("/", p))</c>): rooted,
    /// no empty, "." or ".." components, no trailing slash. The HTTP layer already cleans, but
    /// commands may come from anywhere.
    /// </summary>
    public static string Normalize(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return Root;
        }

        if (IsClean(path))
        {
            return path;
        }

        var kept = new List<string>();
        foreach (var component in path.Split('/'))
        {
            if (component.Length == 0 || component == ".")
            {
                continue;
            }

            if (component == "..")
            {
                if (kept.Count > 0)
                {
                    kept.RemoveAt(kept.Count - 1);
                }

                continue;
            }

            kept.Add(component);
        }

        return kept.Count == 0 ? Root : "/" + string.Join('/', kept);
    }

    /// <summary>The components of a clean path; the root has none.</summary>
    public static string[] Components(string cleanPath) =>
        cleanPath == Root ? [] : cleanPath[1..].Split('/');

    public static string Join(string parent, string name) => parent == Root ? Root + name : parent + "/" + name;

    /// <summary>True when <paramref name="key"/> is strictly below the directory <paramref name="ancestor"/>.</summary>
    public static bool IsStrictlyUnder(string key, string ancestor) =>
        ancestor == Root
            ? key.Length > 1
            : key.Length > ancestor.Length + 1 && key.StartsWith(ancestor, StringComparison.Ordinal) && key[ancestor.Length] == '/';

    public static bool IsHiddenName(string name) => name.Length > 0 && name[0] == '_';

    private static bool IsClean(string path)
    {
        if (path[0] != '/')
        {
            return false;
        }

        if (path.Length == 1)
        {
            return true;
        }

        if (path[^1] == '/')
        {
            return false;
        }

        var start = 1;
        while (start <= path.Length)
        {
            var end = path.IndexOf('/', start);
            if (end < 0)
            {
                end = path.Length;
            }

            var component = path.AsSpan(start, end - start);
            if (component.Length == 0 || component is "." or "..")
            {
                return false;
            }

            start = end + 1;
        }

        return true;
    }
}
