using System.Globalization;
using System.Net;
using System.Text.Json;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// A thin etcd v2 keys client over one pooled HttpClient: form bodies as etcdctl sends them, no retries
/// (a retry would turn an unknown outcome into a guess, which the crash model must not do).
/// </summary>
public sealed class KeysClient : IDisposable
{
    private readonly HttpClient _http;

    public KeysClient(Uri baseUrl, int connections, TimeSpan? timeout = null)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseUrl,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
    }

    public Task<KeysResponse> PutAsync(string key, string value, IReadOnlyDictionary<string, string>? query = null, long? ttl = null, CancellationToken cancellationToken = default)
    {
        var form = new Dictionary<string, string> { ["value"] = value };
        if (ttl is { } seconds)
        {
            form["ttl"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return SendAsync(HttpMethod.Put, key, query, new FormUrlEncodedContent(form), cancellationToken);
    }

    public Task<KeysResponse> PostAsync(string directory, string value, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, directory, null, new FormUrlEncodedContent(new Dictionary<string, string> { ["value"] = value }), cancellationToken);

    public Task<KeysResponse> DeleteAsync(string key, IReadOnlyDictionary<string, string>? query = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, key, query, null, cancellationToken);

    public Task<KeysResponse> GetAsync(string key, bool recursive = false, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, key, recursive ? new Dictionary<string, string> { ["recursive"] = "true" } : null, null, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<KeysResponse> SendAsync(HttpMethod method, string key, IReadOnlyDictionary<string, string>? query, HttpContent? content, CancellationToken cancellationToken)
    {
        var uri = "/v2/keys" + key;
        if (query is { Count: > 0 })
        {
            uri += "?" + string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        }

        using var request = new HttpRequestMessage(method, uri) { Content = content };
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var index = Header(response, "X-Etcd-Index");
        var raftIndex = Header(response, "X-Raft-Index");
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            body = default;
        }

        return new KeysResponse(response.StatusCode, index, raftIndex, body, text);
    }

    private static long Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? long.Parse(values.First(), CultureInfo.InvariantCulture) : -1;
}
