using System.Net;
using System.Text.Json;

namespace KvDirectory.Cluster.Tests;

/// <summary>An answer of <c>/v2/keys</c>: status, X-Etcd-Index, X-Raft-Index (-1 when absent) and the parsed event (or error) body.</summary>
public sealed record KeysResponse(HttpStatusCode Status, long EtcdIndex, long RaftIndex, JsonElement Body, string Text)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public string? Action => Body.TryGetProperty("action", out var action) ? action.GetString() : null;

    public JsonElement Node => Body.GetProperty("node");

    public string Key => Node.GetProperty("key").GetString()!;

    public string? Value => Node.TryGetProperty("value", out var value) ? value.GetString() : null;

    public long ModifiedIndex => Node.GetProperty("modifiedIndex").GetInt64();

    public int? ErrorCode => Body.TryGetProperty("errorCode", out var code) ? code.GetInt32() : null;
}
