using System.Net;
using KvDirectory.Testing;

namespace KvDirectory.Cluster.Tests.Tls;

/// <summary>
/// The client port with TLS and client-certificate auth, run against real etcd 3.4 and against our server with the
/// same generated files: both must accept the trusted client and refuse everything else the same way. A refused or
/// plain read/write changes nothing the other tests look at, so they share one server per kind
/// (<see cref="ClientTlsServers"/>); rotating the certificate and configuring through the environment start their own.
/// </summary>
public sealed class ClientTlsTests(ClientTlsServers shared) : IClassFixture<ClientTlsServers>
{
    public static TheoryData<string> Servers => new() { "etcd", "kvdirectory" };

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task A_client_with_a_certificate_from_the_trusted_ca_reads_and_writes(string kind)
    {
        var server = shared[kind];
        using var http = TlsClients.Http(server.Ca.CaFile, server.ClientCertificate);

        using var put = await http.PutAsync(new Uri(server.ClientUrl, "/v2/keys/tls/a"), new FormUrlEncodedContent([new("value", "1")]));
        put.StatusCode.Should().Be(HttpStatusCode.Created, server.Process.Output);
        using var get = await http.GetAsync(new Uri(server.ClientUrl, "/v2/keys/tls/a"));
        get.StatusCode.Should().Be(HttpStatusCode.OK);
        (await get.Content.ReadAsStringAsync()).Should().Contain("\"value\":\"1\"");
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Plain_http_to_the_tls_port_gets_no_answer(string kind)
    {
        var server = shared[kind];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var plain = new UriBuilder(server.ClientUrl) { Scheme = "http", Path = "/v2/keys/" }.Uri;
        // Both close the connection at the failed handshake: no HTTP status, no data served in clear text.
        var request = () => http.GetAsync(plain);
        await request.Should().ThrowAsync<HttpRequestException>();
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task A_client_without_a_certificate_is_refused(string kind)
    {
        var server = shared[kind];
        using var http = TlsClients.Http(server.Ca.CaFile, clientCertificate: null);

        var request = () => http.GetAsync(new Uri(server.ClientUrl, "/v2/keys/"));
        await request.Should().ThrowAsync<HttpRequestException>();
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task A_client_certificate_from_another_ca_is_refused(string kind)
    {
        var server = shared[kind];
        using var http = TlsClients.Http(server.Ca.CaFile, server.Foreign.Issue("intruder"));

        var request = () => http.PutAsync(new Uri(server.ClientUrl, "/v2/keys/intruded"), new FormUrlEncodedContent([new("value", "x")]));
        await request.Should().ThrowAsync<HttpRequestException>();

        using var trusted = TlsClients.Http(server.Ca.CaFile, server.ClientCertificate);
        using var check = await trusted.GetAsync(new Uri(server.ClientUrl, "/v2/keys/intruded"));
        check.StatusCode.Should().Be(HttpStatusCode.NotFound, "the refused write must have changed nothing");
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task A_rotated_server_certificate_is_served_without_a_restart(string kind)
    {
        await using var server = await ClientTlsServer.StartAsync(kind);
        (await TlsClients.PresentedSerialAsync(server.ClientUrl, server.Ca.CaFile, server.ClientCertificate))
            .Should().Be(server.ServerCertificate.SerialNumber);

        var next = server.Ca.Issue("server");
        TestCa.Rotate(server.ServerCertificate, next);

        // No event announces the reload: new handshakes are observed until one presents the new certificate.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string presented;
        while ((presented = await TlsClients.PresentedSerialAsync(server.ClientUrl, server.Ca.CaFile, server.ClientCertificate)) != next.SerialNumber
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        presented.Should().Be(next.SerialNumber, server.Process.Output);
        if (kind == "kvdirectory")
        {
            (await server.Process.WaitForLineAsync("Reloaded the changed file(s) of --cert-file", TimeSpan.FromSeconds(10)))
                .Should().BeTrue($"the reload must be logged:{Environment.NewLine}{server.Process.Output}");
        }

        using var http = TlsClients.Http(server.Ca.CaFile, server.ClientCertificate);
        using var response = await http.GetAsync(new Uri(server.ClientUrl, "/v2/keys/"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task The_settings_work_as_ETCD_environment_variables_too(string kind)
    {
        await using var server = await ClientTlsServer.StartAsync(kind, throughEnvironment: true);
        using var trusted = TlsClients.Http(server.Ca.CaFile, server.ClientCertificate);
        using var anonymous = TlsClients.Http(server.Ca.CaFile, clientCertificate: null);

        using var response = await trusted.GetAsync(new Uri(server.ClientUrl, "/v2/keys/"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var refused = () => anonymous.GetAsync(new Uri(server.ClientUrl, "/v2/keys/"));
        await refused.Should().ThrowAsync<HttpRequestException>("ETCD_CLIENT_CERT_AUTH=true requires a client certificate");
    }

    [Fact]
    public async Task Kvctl_with_cert_key_and_cacert_reads_and_writes_and_without_them_fails()
    {
        var server = shared["kvdirectory"];
        var endpoint = server.ClientUrl.ToString().TrimEnd('/');
        // Generous deadlines: on a loaded machine kvctl's first TLS handshake can outlast its 2 s default.
        string[] tls = ["--timeout", "10s", "--total-timeout", "30s", "--cert", server.ClientCertificate.CertFile, "--key", server.ClientCertificate.KeyFile, "--cacert", server.Ca.CaFile];

        var set = await Kvctl([.. tls, "--endpoints", endpoint, "set", "/tls/kvctl", "hello"]);
        set.ExitCode.Should().Be(0, set.ToString());
        var get = await Kvctl([.. tls, "--endpoints", endpoint, "get", "/tls/kvctl"]);
        get.ExitCode.Should().Be(0, get.ToString());
        get.StandardOutput.Trim().Should().Be("hello");

        var withoutCertificate = await Kvctl(["--cacert", server.Ca.CaFile, "--endpoints", endpoint, "get", "/tls/kvctl"]);
        withoutCertificate.ExitCode.Should().NotBe(0, withoutCertificate.ToString());
        withoutCertificate.StandardOutput.Should().NotContain("hello");
    }

    private static Task<CommandResult> Kvctl(IEnumerable<string> arguments) =>
        CommandRunner.RunAsync("dotnet", [RepositoryPaths.CliDll, .. arguments], timeout: TimeSpan.FromSeconds(60));
}
