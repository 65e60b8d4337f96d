using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace KvDirectory.Cluster.Tests.Tls;

/// <summary>
/// With <c>--client-cert-auth</c> and v2 auth enabled, a request without an Authorization header is the user its
/// certificate's common name names (the guest when no user has that name); Basic credentials, when sent, decide
/// instead. Run against real etcd 3.4 and our server with the same generated CA: the same statuses on both.
/// </summary>
public sealed class ClientCertAuthTests
{
    public static TheoryData<string> Servers => new() { "etcd", "kvdirectory" };

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task The_certificate_common_name_is_the_user(string kind)
    {
        await using var server = await ClientTlsServer.StartAsync(kind);
        using var client = TlsClients.Http(server.Ca.CaFile, server.ClientCertificate);
        using var rootCert = TlsClients.Http(server.Ca.CaFile, server.Ca.Issue("root"));
        using var stranger = TlsClients.Http(server.Ca.CaFile, server.Ca.Issue("stranger"));
        var url = server.ClientUrl;

        // Auth off: anyone with a trusted certificate sets it up.
        (await SendAsync(client, url, "PUT", "/v2/keys/cn/pub/a", "value=1")).Should().Be(HttpStatusCode.Created);
        (await SendAsync(client, url, "PUT", "/v2/keys/cn/secret/a", "value=2")).Should().Be(HttpStatusCode.Created);
        (await SendJsonAsync(client, url, "PUT", "/v2/auth/users/root", """{"user":"root","password":"rootpw"}""")).Should().Be(HttpStatusCode.Created);
        (await SendJsonAsync(client, url, "PUT", "/v2/auth/roles/reader", """{"role":"reader","permissions":{"kv":{"read":["/cn/pub*"]}}}""")).Should().Be(HttpStatusCode.Created);
        (await SendJsonAsync(client, url, "PUT", "/v2/auth/users/client", """{"user":"client","password":"unused","roles":["reader"]}""")).Should().Be(HttpStatusCode.OK);
        (await SendJsonAsync(client, url, "PUT", "/v2/auth/enable")).Should().Be(HttpStatusCode.OK);
        (await SendJsonAsync(rootCert, url, "PUT", "/v2/auth/roles/guest", """{"role":"guest","revoke":{"kv":{"read":["/*"],"write":["/*"]}}}""")).Should().Be(HttpStatusCode.OK);

        // CN=client reads what its role allows, nothing else, and is not root.
        (await SendAsync(client, url, "GET", "/v2/keys/cn/pub/a")).Should().Be(HttpStatusCode.OK);
        (await SendAsync(client, url, "GET", "/v2/keys/cn/secret/a")).Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync(client, url, "PUT", "/v2/keys/cn/pub/a", "value=changed")).Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync(client, url, "GET", "/v2/auth/users")).Should().Be(HttpStatusCode.Unauthorized);

        // CN=root is root; a name no user has is the guest, who may do nothing now.
        (await SendAsync(rootCert, url, "GET", "/v2/auth/users")).Should().Be(HttpStatusCode.OK);
        (await SendAsync(rootCert, url, "GET", "/v2/keys/cn/secret/a")).Should().Be(HttpStatusCode.OK);
        (await SendAsync(stranger, url, "GET", "/v2/keys/cn/pub/a")).Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync(stranger, url, "GET", "/v2/auth/users")).Should().Be(HttpStatusCode.Unauthorized);

        // Basic credentials win over the certificate, both ways.
        (await SendAsync(stranger, url, "GET", "/v2/keys/cn/secret/a", authorization: Basic("root", "rootpw"))).Should().Be(HttpStatusCode.OK);
        (await SendAsync(rootCert, url, "GET", "/v2/keys/cn/secret/a", authorization: Basic("client", "wrong"))).Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync(rootCert, url, "GET", "/v2/keys/cn/pub/a")).Should().Be(HttpStatusCode.OK);
    }

    private static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    private static Task<HttpStatusCode> SendJsonAsync(HttpClient http, Uri server, string method, string path, string? json = null) =>
        SendAsync(http, server, method, path, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"), null);

    private static Task<HttpStatusCode> SendAsync(HttpClient http, Uri server, string method, string path, string? form = null, string? authorization = null) =>
        SendAsync(http, server, method, path, form is null ? null : new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"), authorization);

    private static async Task<HttpStatusCode> SendAsync(HttpClient http, Uri server, string method, string path, HttpContent? content, string? authorization)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(server, path)) { Content = content };
        if (authorization is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", authorization);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
