using Microsoft.AspNetCore.Http;

namespace KvDirectory.Server.Metrics;

/// <summary>Counts every HTTP request by method and final status code.</summary>
public sealed class HttpMetricsMiddleware(RequestDelegate next, ServerMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            metrics.RecordHttpRequest(context.Request.Method, context.Response.StatusCode);
        }
    }
}
