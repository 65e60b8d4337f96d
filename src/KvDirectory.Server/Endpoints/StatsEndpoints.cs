using KvDirectory.Node;
using KvDirectory.Node.Membership;
using KvDirectory.Node.Statistics;
using KvDirectory.Protocol;
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
        endpoints.Map("/v2/stats/self", (HttpContext context, ClusterStateHolder cluster, ICommandLog log, NodeInfo node, RaftStatistics stats, TimeProvider time) =>
            GetOnly(context, () => EtcdResponses.WriteJsonAsync(context.Response, SelfStatistics(cluster.Current, log.Status, node, stats, time), ProtocolJsonContext.Default.ServerStatistics, EtcdHeaders.JsonContentType)));
        endpoints.Map("/v2/stats/leader", (HttpContext context, ClusterStateHolder cluster, ICommandLog log, RaftStatistics stats) =>
            GetOnly(context, () => log.Status.Role == NodeRole.Leader
                ? EtcdResponses.WriteJsonAsync(context.Response, LeaderStatistics(cluster.Current, stats), ProtocolJsonContext.Default.LeaderStatistics, EtcdHeaders.JsonContentType)
                : EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status403Forbidden, "not current leader")));
        return endpoints;
    }

    private static Task GetOnly(HttpContext context, Func<Task> serve) =>
        HttpMethods.IsGet(context.Request.Method) ? serve() : EtcdResponses.WriteMethodNotAllowedAsync(context, "GET");

    /// <summary>etcd's ServerStats; the rates are left out while zero (<c>omitempty</c> in etcd), the counts never.</summary>
    private static ServerStatistics SelfStatistics(ClusterState cluster, ConsensusStatus status, NodeInfo node, RaftStatistics stats, TimeProvider time)
    {
        var (sendPackages, sendBytes) = stats.SendRate.Rate();
        var (receivePackages, receiveBytes) = stats.ReceiveRate.Rate();
        var leaderSince = node.LeaderSince;
        return new ServerStatistics
        {
            Name = cluster.LocalMember.Name,
            Id = MemberId.Format(cluster.LocalMemberId),
            State = status.Role.ToEtcdState(),
            StartTime = node.StartTime,
            LeaderInfo = new LeaderInfo
            {
                Leader = status.LeaderId == 0 ? string.Empty : MemberId.Format(status.LeaderId),
                Uptime = GoDuration.Format(time.GetUtcNow() - leaderSince),
                StartTime = leaderSince,
            },
            ReceivedAppendRequests = stats.ReceivedAppendRequests,
            ReceivedPackageRate = receivePackages,
            ReceivedBandwidthRate = receiveBytes,
            SentAppendRequests = stats.SentAppendRequests,
            SentPackageRate = sendPackages,
            SentBandwidthRate = sendBytes,
        };
    }

    /// <summary>Every current member but this one, measured by the tracker; members that left are dropped from it.</summary>
    private static LeaderStatistics LeaderStatistics(ClusterState cluster, RaftStatistics stats) => new()
    {
        Leader = MemberId.Format(cluster.LocalMemberId),
        Followers = stats.Followers
            .Snapshot(cluster.Members.Where(m => m.Id != cluster.LocalMemberId).Select(m => m.Id))
            .ToDictionary(pair => MemberId.Format(pair.Key), pair => pair.Value),
    };
}
