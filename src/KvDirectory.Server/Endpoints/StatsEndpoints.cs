using KvDirectory.Protocol;
using KvDirectory.Server.Cluster;
using KvDirectory.Server.CommandLog;
using KvDirectory.Server.Http;
using KvDirectory.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KvDirectory.Server.Endpoints;

/// <summary><c>/v2/stats/store</c>, <c>/v2/stats/self</c> and <c>/v2/stats/leader</c>.</summary>
public static class StatsEndpoints
{
    public static IEndpointRouteBuilder MapStatsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/v2/stats/store", (HttpContext context, V2Store store) =>
            GetOnly(context, () => EtcdResponses.WriteJsonAsync(context.Response, store.GetStatistics(), ProtocolJsonContext.Default.StoreStatistics, EtcdHeaders.JsonContentType)));
        endpoints.Map("/v2/stats/self", (HttpContext context, ClusterStateHolder cluster, ICommandLog log, NodeInfo node, TimeProvider time) =>
            GetOnly(context, () => EtcdResponses.WriteJsonAsync(context.Response, SelfStatistics(cluster.Current, log.Status, node, time), ProtocolJsonContext.Default.ServerStatistics, EtcdHeaders.JsonContentType)));
        endpoints.Map("/v2/stats/leader", (HttpContext context, ClusterStateHolder cluster, ICommandLog log) =>
            GetOnly(context, () => log.Status.Role == NodeRole.Leader
                ? EtcdResponses.WriteJsonAsync(context.Response, LeaderStatistics(cluster.Current), ProtocolJsonContext.Default.LeaderStatistics, EtcdHeaders.JsonContentType)
                : EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status403Forbidden, "not current leader")));
        return endpoints;
    }

    private static Task GetOnly(HttpContext context, Func<Task> serve) =>
        HttpMethods.IsGet(context.Request.Method) ? serve() : EtcdResponses.WriteMethodNotAllowedAsync(context, "GET");

    private static ServerStatistics SelfStatistics(ClusterState cluster, ConsensusStatus status, NodeInfo node, TimeProvider time) => new()
    {
        Name = cluster.LocalMember.Name,
        Id = MemberId.Format(cluster.LocalMemberId),
        State = status.Role.ToEtcdState(),
        StartTime = node.StartTime,
        LeaderInfo = new LeaderInfo
        {
            Leader = status.LeaderId == 0 ? string.Empty : MemberId.Format(status.LeaderId),
            Uptime = GoDuration.Format(time.GetUtcNow() - node.LeaderSince),
            StartTime = node.LeaderSince,
        },
    };

    private static LeaderStatistics LeaderStatistics(ClusterState cluster) => new()
    {
        Leader = MemberId.Format(cluster.LocalMemberId),
        Followers = cluster.Members
            .Where(m => m.Id != cluster.LocalMemberId)
            .ToDictionary(
                m => MemberId.Format(m.Id),
                _ => new FollowerStatistics { Latency = new LatencyStatistics(), Counts = new CountStatistics() }),
    };
}
