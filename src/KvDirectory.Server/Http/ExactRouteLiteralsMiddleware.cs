using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KvDirectory.Server.Http;

/// <summary>
/// Runs after routing: a path whose route literals differ in case from the matched route's is etcd's text 404
/// (<see cref="ExactRouteLiterals"/>), not that route's answer.
/// </summary>
public sealed class ExactRouteLiteralsMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint endpoint && !ExactRouteLiterals.Match(endpoint.RoutePattern, context.Request.Path.Value ?? "/")
            ? EtcdResponses.WriteTextErrorAsync(context, StatusCodes.Status404NotFound, "404 page not found")
            : next(context);
}
