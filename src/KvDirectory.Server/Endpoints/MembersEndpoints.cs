using KvDirectory.Protocol;
using KvDirectory.Server.Cluster;
using KvDirectory.Server.CommandLog;
using KvDirectory.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KvDirectory.Server.Endpoints;

/// <summary>
/// <c>/v2/members</c> and <c>/v2/machines</c>: how clients (etcdctl, Patroni, python-etcd) discover the cluster.
/// Membership is static (from <c>--initial-cluster</c>); every member's client URLs come from the peer handshake.
/// Runtime membership changes are the next step of the cluster issue and answer 501 until then.
/// </summary>
public static class MembersEndpoints
{
    private const string MembersAllowed = "GET,POST,DELETE,PUT";

    public static IEndpointRouteBuilder MapMembersEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/v2/members", HandleMembersAsync);
        endpoints.Map("/v2/members/{**rest}", HandleMembersAsync);
        endpoints.Map("/v2/machines", HandleMachinesAsync);
        return endpoints;
    }

    private static async Task HandleMembersAsync(HttpContext context, ClusterStateHolder cluster, ICommandLog log)
    {
        var method = context.Request.Method;
        if (method is not ("GET" or "POST" or "DELETE" or "PUT"))
        {
            await EtcdResponses.WriteMethodNotAllowedAsync(context, MembersAllowed);
            return;
        }

        var state = cluster.Current;
        context.Response.Headers[EtcdHeaders.ClusterId] = MemberId.Format(state.ClusterId);
        var rest = (context.Request.RouteValues["rest"] as string ?? string.Empty).Trim('/');
        if (method != "GET")
        {
            await EtcdResponses.WriteMessageErrorAsync(
                context,
                StatusCodes.Status501NotImplemented,
                "runtime membership changes are not supported yet; the membership is fixed by --initial-cluster");
            return;
        }

        switch (rest)
        {
            case "":
                await EtcdResponses.WriteJsonAsync(context.Response, state.ToMemberCollection(), ProtocolJsonContext.Default.MemberCollection, EtcdHeaders.JsonContentType);
                break;
            case "leader" when state.Find(log.Status.LeaderId) is { } leader:
                await EtcdResponses.WriteJsonAsync(context.Response, ClusterState.ToWire(leader), ProtocolJsonContext.Default.Member, EtcdHeaders.JsonContentType);
                break;
            case "leader":
                await EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "During election");
                break;
            default:
                await EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status404NotFound, "Not found");
                break;
        }
    }

    private static async Task HandleMachinesAsync(HttpContext context, ClusterStateHolder cluster)
    {
        if (context.Request.Method is not ("GET" or "HEAD"))
        {
            await EtcdResponses.WriteMethodNotAllowedAsync(context, "GET,HEAD");
            return;
        }

        var urls = cluster.Current.Members.SelectMany(m => m.ClientUrls);
        await EtcdResponses.WriteTextAsync(context, string.Join(", ", urls));
    }
}
