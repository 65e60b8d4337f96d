using System.Globalization;
using KvDirectory.Node;
using KvDirectory.Protocol;
using KvDirectory.Server.Http;
using KvDirectory.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KvDirectory.Server.Endpoints;

/// <summary>
/// <c>GET /v2/admin/snapshot</c>: a consistent backup of the whole key tree of a running node, as a file that
/// <c>--restore-from</c> starts a new data dir from. Not part of etcd's v2 API (etcd had only the offline <c>etcdctl backup</c>).
/// <c>GET /v2/admin/digest</c>: a hash of this member's whole tree and index, so operators and tests can check that
/// every member holds the same data (equal digests mean equal trees at equal indexes).
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/v2/admin/snapshot", async (HttpContext context, V2Store store) =>
        {
            if (!HttpMethods.IsGet(context.Request.Method))
            {
                await EtcdResponses.WriteMethodNotAllowedAsync(context, "GET");
                return;
            }

            // A copy-on-write capture: one consistent point in the store's history, serialised while writes go on.
            var capture = await store.CaptureSnapshotAsync(context.RequestAborted);
            var snapshot = capture.Write();
            var index = capture.CurrentIndex;
            var response = context.Response;
            response.ContentType = "application/octet-stream";
            response.ContentLength = BackupFile.Length(snapshot.Length);
            response.Headers.ContentDisposition = $"attachment; filename=\"kvdirectory-{index.ToString(CultureInfo.InvariantCulture)}.snap\"";
            response.Headers[EtcdHeaders.EtcdIndex] = index.ToString(CultureInfo.InvariantCulture);
            await BackupFile.WriteAsync(response.Body, index, snapshot, context.RequestAborted);
        });
        endpoints.Map("/v2/admin/digest", async (HttpContext context, V2Store store) =>
        {
            if (!HttpMethods.IsGet(context.Request.Method))
            {
                await EtcdResponses.WriteMethodNotAllowedAsync(context, "GET");
                return;
            }

            var capture = await store.CaptureSnapshotAsync(context.RequestAborted);
            var digest = new StoreDigest { Index = capture.CurrentIndex, Sha256 = V2Store.DigestOf(capture.Write()) };
            await EtcdResponses.WriteJsonAsync(context.Response, digest, ProtocolJsonContext.Default.StoreDigest, EtcdHeaders.JsonContentType);
        });
        return endpoints;
    }
}
