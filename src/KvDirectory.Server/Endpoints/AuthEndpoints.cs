using KvDirectory.Node.Membership;
using KvDirectory.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KvDirectory.Server.Endpoints;

/// <summary>
/// The read side of <c>/v2/auth</c> as etcd answers it while auth is off (clients probe these before using auth).
/// Users, roles and enabling auth come with the security issue.
/// </summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/v2/auth/enable", (HttpContext context, ClusterStateHolder cluster) =>
            Answer(context, cluster, "{\"enabled\":false}\n"));
        endpoints.Map("/v2/auth/users", (HttpContext context, ClusterStateHolder cluster) =>
            Answer(context, cluster, "{\"users\":null}\n"));
        endpoints.Map("/v2/auth/roles", (HttpContext context, ClusterStateHolder cluster) =>
            Answer(context, cluster, "{\"roles\":[{\"role\":\"root\",\"permissions\":{\"kv\":{\"read\":[\"/*\"],\"write\":[\"/*\"]}}}]}\n"));
        return endpoints;
    }

    private static Task Answer(HttpContext context, ClusterStateHolder cluster, string json)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            return EtcdResponses.WriteMethodNotAllowedAsync(context, "GET");
        }

        context.Response.Headers[EtcdHeaders.ClusterId] = MemberId.Format(cluster.Current.ClusterId);
        return EtcdResponses.WriteTextAsync(context, json, EtcdHeaders.JsonContentType);
    }
}
