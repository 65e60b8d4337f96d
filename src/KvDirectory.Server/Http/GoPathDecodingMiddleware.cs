using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace KvDirectory.Server.Http;

/// <summary>
/// Decodes the raw request target's path as Go does (Kestrel would keep <c>%2F</c> encoded and resolve <c>..</c>
/// silently) and leaves it in <see cref="DecodedPathKey"/>. A malformed escape is rejected here, before CORS,
/// as Go's server rejects it before any handler: a bare 400 that closes the connection.
/// </summary>
public sealed class GoPathDecodingMiddleware(RequestDelegate next)
{
    public const string DecodedPathKey = "kvdirectory.decoded-path";
    public const string RawQueryKey = "kvdirectory.raw-query";

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

        context.Items[DecodedPathKey] = decoded;
        context.Items[RawQueryKey] = queryStart < 0 ? null : rawTarget[(queryStart + 1)..];
        return next(context);
    }

    /// <summary>True when the path is one of Go's exact-only patterns followed by a slash (answered 404).</summary>
    public static bool IsExactOnlyPathWithSlash(string decodedPath) =>
        decodedPath.Length > 1 && decodedPath[^1] == '/' && ExactOnlyPaths.Contains(decodedPath[..^1]);
}
