using System.Globalization;
using KvDirectory.Node;
using KvDirectory.Node.Membership;
using KvDirectory.Node.Metrics;
using KvDirectory.Server.Http;
using KvDirectory.Server.Metrics;
using KvDirectory.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KvDirectory.Server.Endpoints;

/// <summary><c>/metrics</c> in the Prometheus text format.</summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/metrics", (HttpContext context, ServerMetrics metrics, NodeMetrics node, ICommandLog log, V2Store store) =>
            HttpMethods.IsGet(context.Request.Method)
                ? EtcdResponses.WriteTextAsync(context, Render(metrics, node, log.Status, store), "text/plain; version=0.0.4; charset=utf-8")
                : EtcdResponses.WriteMethodNotAllowedAsync(context, "GET"));
        return endpoints;
    }

    private static string Render(ServerMetrics metrics, NodeMetrics node, ConsensusStatus status, V2Store store)
    {
        var writer = new PrometheusTextWriter();
        writer.Gauge("etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.", status.LeaderId == 0 ? 0 : 1);
        writer.Gauge("etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.", status.Role == NodeRole.Leader ? 1 : 0);
        writer.Counter("etcd_server_leader_changes_seen_total", "The number of leader changes seen.", node.LeaderChanges);
        writer.Gauge("etcd_server_proposals_committed_total", "The total number of consensus proposals committed.", node.ProposalsCommitted);
        writer.Gauge("etcd_server_proposals_applied_total", "The total number of consensus proposals applied.", node.ProposalsApplied);
        writer.Gauge("etcd_server_proposals_pending", "The current number of pending proposals to commit.", node.ProposalsPending);
        writer.Counter("etcd_server_proposals_failed_total", "The total number of failed proposals seen.", node.ProposalsFailed);
        writer.Gauge("etcd_server_term", "The current Raft term of this member.", status.Term);
        writer.Gauge("etcd_server_commit_index", "The index of the last committed Raft entry on this member.", status.CommitIndex);
        writer.Gauge("etcd_debugging_store_watchers", "Count of currently active watchers.", store.WatcherCount);
        writer.Counter("kvdirectory_listing_cache_hits_total", "Directory GETs answered from kept JSON (the tree unchanged since it was rendered).", store.ListingCacheHits);
        writer.Gauge("kvdirectory_listing_cache_bytes", "Bytes of directory listings kept rendered now (--listing-cache-bytes).", store.ListingCacheBytes);
        writer.Gauge("kvdirectory_http_open_connections", "Client connections open now.", metrics.OpenConnections);
        writer.Gauge("dotnet_gc_heap_bytes", "Bytes of the managed heap in use, as the last collection left them plus what was allocated since.", GC.GetTotalMemory(forceFullCollection: false));
        writer.Gauge("etcd_debugging_store_index", "The current etcd (store) index.", store.CurrentIndex);
        writer.Counter("etcd_disk_wal_fsyncs_total", "The number of fsync calls made by the write-ahead log.", node.WalFsyncs);
        writer.Histogram(node.WalFsyncDuration);
        writer.Histogram(node.ApplyDuration);
        writer.Histogram(node.SnapshotSaveDuration);
        writer.Histogram(node.SnapshotCaptureDuration);
        writer.LabelledCounter(
            "etcd_http_requests_total",
            "HTTP requests answered, by method and status code.",
            metrics.HttpRequests
                .OrderBy(pair => pair.Key.Method, StringComparer.Ordinal).ThenBy(pair => pair.Key.Status)
                .Select(pair => (
                    $"method=\"{PrometheusTextWriter.LabelValue(pair.Key.Method)}\",code=\"{pair.Key.Status.ToString(CultureInfo.InvariantCulture)}\"",
                    (double)pair.Value)));
        PeerCounter(writer, "etcd_network_peer_sent_bytes_total", "The total number of bytes sent to peers.", "To", metrics.Peers.SentBytes);
        PeerCounter(writer, "etcd_network_peer_received_bytes_total", "The total number of bytes received from peers.", "From", metrics.Peers.ReceivedBytes);
        PeerCounter(writer, "etcd_network_peer_sent_failures_total", "The total number of send failures from peers.", "To", metrics.Peers.SentFailures);
        PeerCounter(writer, "etcd_network_peer_received_failures_total", "The total number of receive failures from peers.", "From", metrics.Peers.ReceivedFailures);
        return writer.ToString();
    }

    /// <summary>One sample per member id (hex, as etcd prints ids); a family with no samples is left out, as Prometheus clients do.</summary>
    private static void PeerCounter(PrometheusTextWriter writer, string name, string help, string label, IEnumerable<KeyValuePair<ulong, long>> counters)
    {
        var samples = counters
            .OrderBy(pair => pair.Key)
            .Select(pair => ($"{label}=\"{MemberId.Format(pair.Key)}\"", (double)pair.Value))
            .ToArray();
        if (samples.Length > 0)
        {
            writer.LabelledCounter(name, help, samples);
        }
    }
}
