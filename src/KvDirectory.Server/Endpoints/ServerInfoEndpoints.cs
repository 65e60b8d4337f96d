using KvDirectory.Node;
using KvDirectory.Protocol;
using KvDirectory.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KvDirectory.Server.Endpoints;

/// <summary><c>/version</c> and <c>/health</c>. We report the etcd version whose v2 API we speak, so version checks in clients pass.</summary>
public static class ServerInfoEndpoints
{
    public const string EtcdServerVersion = "3.4.23";
    public const string EtcdClusterVersion = "3.4.0";

    public static IEndpointRouteBuilder MapServerInfoEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/version", (HttpContext context) => HttpMethods.IsGet(context.Request.Method)
            ? EtcdResponses.WriteJsonAsync(
                context.Response,
                new VersionInfo { Server = EtcdServerVersion, Cluster = EtcdClusterVersion },
                ProtocolJsonContext.Default.VersionInfo,
                EtcdHeaders.JsonContentType)
            : EtcdResponses.WriteMethodNotAllowedAsync(context, "GET"));
        endpoints.Map("/health", HealthAsync);
        return endpoints;
    }

    /// <summary>etcd writes the JSON without a content type, so Go labels it text/plain; etcdctl only reads the body.</summary>
    private static Task HealthAsync(HttpContext context, ICommandLog log)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            return EtcdResponses.WriteMethodNotAllowedAsync(context, "GET");
        }

        if (log.Status.LeaderId == 0)
        {
            return EtcdResponses.WriteTextErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "{\"health\":\"false\"}");
        }

        return EtcdResponses.WriteTextAsync(context, "{\"health\":\"true\"}");
    }
}
