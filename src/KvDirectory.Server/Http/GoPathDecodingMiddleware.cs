using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace KvDirectory.Server.Http;

/// <summary>
/// Decodes the raw request target's path as Go does (Kestrel would keep <c>%2F</c> encoded and resolve <c>..</c>
/// silently) and leaves it in a <see cref="GoPathFeature"/> and in <see cref="HttpRequest.Path"/>, so routing matches
/// the decoded path as Go's ServeMux does (etcd serves <c>PUT /v2/keys%2Fa</c> as key <c>/a</c>). A malformed escape
/// is rejected here, before CORS, as Go's server rejects it before any handler: a bare 400 that closes the connection.
/// </summary>
public sealed class GoPathDecodingMiddleware(RequestDelegate next)
{
    /// <summary>Go's mux patterns without a trailing slash match only exactly: <c>/version/</c> is a 404.</summary>
    private static readonly HashSet<string> ExactOnlyPaths = new(StringComparer.Ordinal)
    {
        "/version", "/health", "/metrics", "/v2/machines", "/v2/stats/store", "/v2/stats/self", "/v2/stats/leader",
        "/v2/auth/enable", "/v2/admin/snapshot",
    };

    public Task InvokeAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        if (rawPath.Length == 0 || rawPath[0] != '/')
        {
            // Absolute-form or asterisk targets: fall back to what Kestrel parsed.
            rawPath = context.Request.PathBase + context.Request.Path;
        }

        if (!GoPath.TryDecode(rawPath, out var decoded))
        {
            // Go's server answers an unparsable request line itself: no newline, no nosniff, connection closed.
            context.Response.Headers.Connection = "close";
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return EtcdResponses.WriteTextAsync(context, "400 Bad Request");
        }

        // A feature rather than HttpContext.Items: Items builds a dictionary per request (the GET path's hottest allocation).
        context.Features.Set(new GoPathFeature(decoded, rawTarget, queryStart));
        if (!string.Equals(decoded, context.Request.Path.Value, StringComparison.Ordinal))
        {
            context.Request.Path = new PathString(decoded);
        }

        return next(context);
    }

    /// <summary>The decoded path of the request (what Kestrel parsed where this middleware did not run).</summary>
    public static string DecodedPath(HttpContext context) =>
        context.Features.Get<GoPathFeature>()?.DecodedPath ?? context.Request.Path.Value ?? "/";

    /// <summary>True when the path is one of Go's exact-only patterns followed by a slash (answered 404).</summary>
    public static bool IsExactOnlyPathWithSlash(string decodedPath) =>
        decodedPath.Length > 1 && decodedPath[^1] == '/' && ExactOnlyPaths.Contains(decodedPath[..^1]);
}

/// <summary>The request path decoded as Go decodes it, and the raw query (cut out only when a redirect needs it).</summary>
public sealed class GoPathFeature(string decodedPath, string rawTarget, int queryStart)
{
    public string DecodedPath { get; } = decodedPath;

    /// <summary>The raw query without its <c>?</c>; null when the target has none.</summary>
    public string? RawQuery => queryStart < 0 ? null : rawTarget[(queryStart + 1)..];
}
