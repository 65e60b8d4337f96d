using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace KvDirectory.Server.Http;

/// <summary>
/// Serves paths as Go's HTTP server does for etcd: the raw request target is decoded (Kestrel would keep
/// <c>%2F</c> encoded and silently resolve <c>..</c>), and a path that is not clean answers 301 to the clean one.
/// The decoded path is left in <see cref="DecodedPathKey"/> for the handlers.
/// </summary>
public sealed class GoPathMiddleware(RequestDelegate next)
{
    public const string DecodedPathKey = "kvdirectory.decoded-path";

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
            return EtcdResponses.WriteTextErrorAsync(context, StatusCodes.Status400BadRequest, "400 Bad Request");
        }

        var clean = GoPath.CleanForRedirect(decoded);
        if (clean != decoded)
        {
            return RedirectAsync(context, clean, queryStart < 0 ? null : rawTarget[(queryStart + 1)..]);
        }

        context.Items[DecodedPathKey] = decoded;
        return next(context);
    }

    private static async Task RedirectAsync(HttpContext context, string cleanPath, string? rawQuery)
    {
        var location = EscapePath(cleanPath) + (string.IsNullOrEmpty(rawQuery) ? string.Empty : "?" + rawQuery);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status301MovedPermanently;
        response.Headers.Location = location;
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            response.ContentType = "text/html; charset=utf-8";
        }

        if (HttpMethods.IsGet(method))
        {
            await response.WriteAsync($"<a href=\"{System.Net.WebUtility.HtmlEncode(location)}\">Moved Permanently</a>.\n\n");
        }
    }

    /// <summary>Go's path escaping: unreserved characters and <c>$&amp;+,/:;=@</c> stay, everything else is %XX.</summary>
    private static string EscapePath(string path)
    {
        var builder = new StringBuilder(path.Length);
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || "-_.~$&+,/:;=@".Contains(c, StringComparison.Ordinal))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
