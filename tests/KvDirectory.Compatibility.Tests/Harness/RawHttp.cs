using System.Net.Http.Headers;
using System.Text;

namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>
/// Sends requests exactly as written: no redirect following, no cookie jar, and no path canonicalisation
/// (System.Uri would otherwise collapse "/./" and "/../" before etcd ever saw them, hiding its 301 answers).
/// </summary>
public static class RawHttp
{
    public const string FormContentType = "application/x-www-form-urlencoded";

    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    public static HttpClient Shared => Client;

    public static Uri Address(Uri server, string pathAndQuery) =>
        new(server.ToString().TrimEnd('/') + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    public static HttpRequestMessage Request(Uri server, string method, string pathAndQuery, string? body = null, string? contentType = FormContentType)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), Address(server, pathAndQuery));
        if (body is not null)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            request.Content = content;
        }

        return request;
    }

    public static async Task<HttpSnapshot> SendAsync(Uri server, string method, string pathAndQuery, string? body = null, string? contentType = FormContentType, CancellationToken cancellationToken = default)
    {
        using var request = Request(server, method, pathAndQuery, body, contentType);
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await SnapshotAsync(response, cancellationToken);
    }

    public static async Task<HttpSnapshot> SnapshotAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new HttpSnapshot((int)response.StatusCode, HeadersOf(response), body);
    }

    public static Dictionary<string, string> HeadersOf(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = string.Join(",", values);
        }

        return headers;
    }

    /// <summary>The store's current etcd index (X-Etcd-Index of a root GET): the base every index in a scenario is made relative to.</summary>
    public static async Task<long> CurrentIndexAsync(Uri server)
    {
        var root = await SendAsync(server, "GET", "/v2/keys/");
        return long.TryParse(root.Header("X-Etcd-Index"), out var index) ? index : 0;
    }
}
