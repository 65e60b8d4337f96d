using KvDirectory.Server.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace KvDirectory.Server.Http;

/// <summary>
/// etcd's CORS handling: with "*" allowed (the default) every answer carries the CORS headers; otherwise only
/// answers to an allowed Origin do. OPTIONS is answered 200 for any path, before routing.
/// </summary>
public sealed class CorsMiddleware(RequestDelegate next, IOptions<ServerOptions> options)
{
    private readonly HashSet<string> _allowedOrigins = options.Value.Cors
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .ToHashSet(StringComparer.Ordinal);

    public Task InvokeAsync(HttpContext context)
    {
        if (_allowedOrigins.Contains("*"))
        {
            AddHeaders(context.Response, "*");
        }
        else if (context.Request.Headers.Origin.ToString() is { Length: > 0 } origin && _allowedOrigins.Contains(origin))
        {
            AddHeaders(context.Response, origin);
        }

        if (HttpMethods.IsOptions(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        }

        return next(context);
    }

    private static void AddHeaders(HttpResponse response, string origin)
    {
        response.Headers.AccessControlAllowMethods = "POST, GET, OPTIONS, PUT, DELETE";
        response.Headers.AccessControlAllowOrigin = origin;
        response.Headers.AccessControlAllowHeaders = "accept, content-type, authorization";
    }
}
