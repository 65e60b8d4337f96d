namespace KvDirectory.Server.Configuration;

/// <summary>Parses etcd's comma-separated URL flags, rejecting anything that is not an absolute http(s) URL.</summary>
public static class UrlList
{
    public static IReadOnlyList<string> Parse(string text)
    {
        var urls = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            {
                throw new InvalidOperationException($"'{part}' is not a valid http(s) URL; expected e.g. http://127.0.0.1:2379");
            }

            urls.Add(part.TrimEnd('/'));
        }

        return urls;
    }
}
