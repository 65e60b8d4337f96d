using KvDirectory.Testing.Processes;
using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using KvDirectory.Testing;
using KvDirectory.Transport;

namespace KvDirectory.Cluster.Tests.Tls;

/// <summary>The peer port with mutual TLS: members with the cluster's CA form a cluster; nobody else gets a word in.</summary>
public sealed class PeerTlsTests(PeerTlsCluster cluster) : IClassFixture<PeerTlsCluster>
{
    [Fact]
    public async Task Three_members_with_tls_peers_form_a_cluster_and_replicate()
    {
        var (a, c) = (cluster.Members[0], cluster.Members[2]);
        await cluster.EventuallyAsync("a write through a", async () => await cluster.PutAsync(a, "peer-tls/replicated", "yes") == HttpStatusCode.Created);

        await cluster.EventuallyAsync("the write seen on c", async () => (await cluster.GetAsync(c, "peer-tls/replicated"))?.Contains("\"value\":\"yes\"") == true);
    }

    [Fact]
    public async Task The_peer_port_answers_a_member_certificate_and_refuses_a_foreign_one_or_none()
    {
        var a = cluster.Members[0];
        (await MembershipQueryAsync(a.PeerUrl, cluster.Members[1].PeerCertificate)).Should().BeTrue("a member's certificate is trusted");

        var foreign = cluster.Foreign.Issue("intruder");
        (await MembershipQueryAsync(a.PeerUrl, foreign)).Should().BeFalse("a certificate from another CA must get no frame answered");
        (await MembershipQueryAsync(a.PeerUrl, clientCertificate: null)).Should().BeFalse("a connection without a certificate must get no frame answered");
        (await PlainTcpQueryAsync(a.PeerUrl)).Should().BeFalse("plain TCP must get no frame answered");
    }

    [Fact]
    public async Task A_member_with_a_foreign_certificate_can_not_join()
    {
        var intruder = new PeerTlsMember(
            "intruder",
            new Uri($"http://127.0.0.1:{FreePort.Next()}"),
            new Uri($"https://127.0.0.1:{FreePort.Next()}"),
            cluster.Foreign.Issue("peer-intruder"));
        var leader = cluster.Members[0];
        string? id = null;
        await cluster.EventuallyAsync("the member added", async () =>
        {
            using var added = await cluster.Http.PostAsync(
                new Uri(leader.ClientUrl, "/v2/members"),
                new StringContent($"{{\"peerURLs\":[\"{PeerTlsCluster.Trim(intruder.PeerUrl)}\"]}}", System.Text.Encoding.UTF8, "application/json"));
            id = added.StatusCode == HttpStatusCode.Created
                ? System.Text.Json.JsonDocument.Parse(await added.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()
                : null;
            return id is not null;
        });

        // It trusts the cluster's CA, so only its own certificate is at fault.
        await using var process = cluster.Launch(
            intruder, $"{cluster.InitialCluster},intruder={PeerTlsCluster.Trim(intruder.PeerUrl)}", "existing", intruder.PeerCertificate, cluster.Ca.CaFile);

        (await process.WaitForExitAsync(TimeSpan.FromSeconds(90))).Should().BeTrue("a member refused by every peer must give up:\n" + process.Output);
        process.ExitCode.Should().NotBe(0);
        process.Output.Should().Contain("could not get the member list");
        using var response = await cluster.Http.GetAsync(new Uri(intruder.ClientUrl, "/health")).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
        response.Should().BeNull("the refused member is not serving");

        // Out again, so the other tests of the class keep a three-member quorum.
        await cluster.EventuallyAsync("the member removed", async () =>
        {
            using var removed = await cluster.Http.DeleteAsync(new Uri(leader.ClientUrl, $"/v2/members/{id}"));
            return removed.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound;
        });
    }

    [Fact]
    public async Task A_rotated_peer_certificate_is_used_without_a_restart_and_replication_goes_on()
    {
        var (a, b) = (cluster.Members[0], cluster.Members[1]);
        var next = cluster.Ca.Issue("peer-a");
        TestCa.Rotate(a.PeerCertificate, next);

        await cluster.EventuallyAsync("a presenting its new peer certificate", async () =>
            await TlsClients.PresentedSerialAsync(a.PeerUrl, cluster.Ca.CaFile, b.PeerCertificate) == next.SerialNumber);

        await cluster.EventuallyAsync("a write through b after the rotation", async () => await cluster.PutAsync(b, "peer-tls/rotated", "ok") == HttpStatusCode.Created);
        await cluster.EventuallyAsync("the write seen on a", async () => (await cluster.GetAsync(a, "peer-tls/rotated"))?.Contains("\"value\":\"ok\"") == true);
    }

    /// <summary>True when the peer port answers a member-list query over TLS with this client certificate.</summary>
    private async Task<bool> MembershipQueryAsync(Uri peerUrl, CertFiles? clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(peerUrl.Host, peerUrl.Port);
        await using var ssl = new SslStream(tcp.GetStream());
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(cluster.Ca.CaFile);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = peerUrl.Host,
                ClientCertificates = clientCertificate is null ? [] : [X509Certificate2.CreateFromPemFile(clientCertificate.CertFile, clientCertificate.KeyFile)],
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    KvDirectory.Transport.Tls.CertificateAuthorities.Trusts(authorities, certificate, errors, checkName: true),
            });
            return await QueryAsync(ssl);
        }
        catch (Exception error) when (error is AuthenticationException or IOException or OperationCanceledException)
        {
            // TLS 1.3 may finish the client's side of the handshake before the server rejects the certificate.
            return false;
        }
    }

    private static async Task<bool> PlainTcpQueryAsync(Uri peerUrl)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(peerUrl.Host, peerUrl.Port);
        try
        {
            return await QueryAsync(tcp.GetStream());
        }
        catch (Exception error) when (error is IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> QueryAsync(Stream stream)
    {
        var query = new ArrayBufferWriter<byte>(PeerFrame.HeaderSize);
        PeerFrame.Write(query, PeerFrameKind.MembershipQuery, []);
        await stream.WriteAsync(query.WrittenMemory);
        await stream.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var reply = await PeerFrame.ReadAsync(stream, timeout.Token);
        return reply is { Kind: PeerFrameKind.MembershipReply };
    }
}
