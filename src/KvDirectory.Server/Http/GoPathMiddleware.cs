using System.Text;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Server.Http;

/// <summary>
/// Routes as Go's ServeMux does for etcd: a path that is not clean (<c>//</c>, <c>/./</c>, <c>/../</c>) answers
/// 301 to its clean form for every method (a PUT is redirected, not applied), and an exact-only endpoint with a
/// trailing slash is a 404. Runs after CORS, as the mux does, and before routing.
/// </summary>
public sealed class GoPathMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var decoded = GoPathDecodingMiddleware.DecodedPath(context);
        var clean = GoPath.CleanForRedirect(decoded);
        if (clean != decoded)
        {
            return RedirectAsync(context, clean, context.Features.Get<GoPathFeature>()?.RawQuery);
        }

        if (GoPathDecodingMiddleware.IsExactOnlyPathWithSlash(decoded))
        {
            return EtcdResponses.WriteTextErrorAsync(context, StatusCodes.Status404NotFound, "404 page not found");
        }

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
