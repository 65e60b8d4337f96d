using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Server.Explorer;

/// <summary>
/// The explorer's page, scripts and styles, embedded in the server assembly: the server serves them from wherever it
/// runs, with no web root to find and nothing fetched from elsewhere.
/// </summary>
public static class ExplorerAssets
{
    private const string ResourcePrefix = "wwwroot/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, byte[]> Files = Load();

    /// <summary>Writes the asset at <paramref name="relativePath"/> (e.g. <c>assets/app.js</c>); false when there is none.</summary>
    public static async Task<bool> TryWriteAsync(HttpContext context, string relativePath)
    {
        if (!Files.TryGetValue(relativePath, out var bytes))
        {
            return false;
        }

        var response = context.Response;
        response.ContentType = ContentTypes.GetValueOrDefault(Path.GetExtension(relativePath), "application/octet-stream");
        // The page must always be the server's current one; scripts are small and revalidated too.
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(bytes, context.RequestAborted);
        }

        return true;
    }

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[ResourcePrefix.Length..].Replace('\\', '/')] = copy.ToArray();
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
