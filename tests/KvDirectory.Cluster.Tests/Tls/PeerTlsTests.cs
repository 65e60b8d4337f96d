using KvDirectory.Testing.Processes;
using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
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
    public Task A_member_with_a_foreign_certificate_can_not_join() =>
        CanNotJoinAsync("intruder", IPAddress.Loopback, cluster.Foreign.Issue("peer-intruder"));

    /// <summary>
    /// As etcd: the cluster's CA signed it, but for 127.0.0.2, and it dials from 127.0.0.1. It listens on 127.0.0.2, so
    /// the members could dial it: only the check of where its certificate comes from refuses it.
    /// </summary>
    [Fact]
    public async Task A_member_whose_certificate_names_another_address_can_not_join_and_the_refusal_is_logged()
    {
        var elsewhere = IPAddress.Parse("127.0.0.2");

        // Giving up after the join deadline is the foreign certificate's test; here the members' refusal is the point.
        await CanNotJoinAsync("elsewhere", elsewhere, cluster.Ca.Issue("peer-elsewhere", ipSans: [elsewhere]), waitForGiveUp: false);

        cluster.Output.Should().Contain("Refused peer connection from 127.0.0.1").And.Contain("not among the certificate's IP SANs [127.0.0.2]");
    }

    [Fact]
    public async Task The_peer_port_accepts_a_member_certificate_only_from_an_address_its_sans_cover()
    {
        var a = cluster.Members[0];
        var elsewhere = IPAddress.Parse("127.0.0.2");
        var forElsewhere = cluster.Ca.Issue("peer-sans", ipSans: [elsewhere]);

        (await MembershipQueryAsync(a.PeerUrl, forElsewhere)).Should().BeFalse("127.0.0.1 is not among its SANs");
        (await MembershipQueryAsync(a.PeerUrl, forElsewhere, from: elsewhere)).Should().BeTrue("from 127.0.0.2 it is covered");
        (await MembershipQueryAsync(a.PeerUrl, cluster.Ca.Issue("peer-dns", dnsSans: ["localhost"]))).Should().BeTrue("localhost resolves to 127.0.0.1");
        (await MembershipQueryAsync(a.PeerUrl, cluster.Ca.Issue("peer-bare", ipSans: [], dnsSans: []))).Should().BeTrue("a certificate without SANs is not checked, as in etcd");
    }

    /// <summary>
    /// A member dials the peer URLs it knows and must find the dialled host in the certificate it is shown: a stand-in
    /// peer at 127.0.0.1 with a cluster certificate for 127.0.0.2 is refused, one with a certificate for 127.0.0.1 is not.
    /// </summary>
    [Fact]
    public async Task A_dialling_member_refuses_a_peer_whose_certificate_does_not_name_the_dialled_host()
    {
        await using var misnamed = new StandInPeer(cluster.Ca.Issue("peer-misnamed", ipSans: [IPAddress.Parse("127.0.0.2")]));
        await using var named = new StandInPeer(cluster.Ca.Issue("peer-named"));
        var ids = new List<string>();
        foreach (var peer in new[] { misnamed, named })
        {
            ids.Add(await AddMemberAsync(peer.PeerUrl));
        }

        try
        {
            // The members log a connection once the TLS handshake is done (a refusal is logged once per streak of failed
            // dials, and under load its first reason may be the dial timeout): the named one must connect, the misnamed
            // one must have been tried again and again and never connected.
            var connected = new Regex($@"Connected to peer .*\) at 127\.0\.0\.1:{named.PeerUrl.Port}\b");
            await cluster.EventuallyAsync("the members dialling both stand-ins", () => Task.FromResult(connected.IsMatch(cluster.Output) && misnamed.Attempts >= 5));

            cluster.Output.Should().NotMatchRegex($@"Connected to peer .*\) at 127\.0\.0\.1:{misnamed.PeerUrl.Port}\b", "no member may take a certificate that does not name 127.0.0.1");
        }
        finally
        {
            foreach (var id in ids)
            {
                await RemoveMemberAsync(id);
            }
        }
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

    /// <summary>
    /// Adds the member, starts it (trusting the cluster's CA, so only its own certificate is at fault) and sees it give
    /// up — or, without <paramref name="waitForGiveUp"/>, sees a member log the refusal while it is still asking.
    /// </summary>
    private async Task CanNotJoinAsync(string name, IPAddress peerAddress, CertFiles certificate, bool waitForGiveUp = true)
    {
        var intruder = new PeerTlsMember(
            name,
            new Uri($"http://127.0.0.1:{FreePort.Next()}"),
            new Uri($"https://{peerAddress}:{FreePort.Next()}"),
            certificate);
        var id = await AddMemberAsync(intruder.PeerUrl);
        var refusal = $"Refused peer connection from {IPAddress.Loopback}";
        var refusalsBefore = Regex.Matches(cluster.Output, Regex.Escape(refusal)).Count;

        await using var process = cluster.Launch(
            intruder, $"{cluster.InitialCluster},{name}={PeerTlsCluster.Trim(intruder.PeerUrl)}", "existing", intruder.PeerCertificate, cluster.Ca.CaFile);

        if (waitForGiveUp)
        {
            (await process.WaitForExitAsync(TimeSpan.FromSeconds(90))).Should().BeTrue("a member refused by every peer must give up:\n" + process.Output);
            process.ExitCode.Should().NotBe(0);
            process.Output.Should().Contain("could not get the member list");
        }
        else
        {
            await cluster.EventuallyAsync("a member refusing the newcomer's connection", () => Task.FromResult(Regex.Matches(cluster.Output, Regex.Escape(refusal)).Count > refusalsBefore));
        }

        using var response = await cluster.Http.GetAsync(new Uri(intruder.ClientUrl, "/health")).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
        response.Should().BeNull("the refused member is not serving");

        await RemoveMemberAsync(id);
    }

    private async Task<string> AddMemberAsync(Uri peerUrl)
    {
        string? id = null;
        await cluster.EventuallyAsync("the member added", async () =>
        {
            using var added = await cluster.Http.PostAsync(
                new Uri(cluster.Members[0].ClientUrl, "/v2/members"),
                new StringContent($"{{\"peerURLs\":[\"{PeerTlsCluster.Trim(peerUrl)}\"]}}", System.Text.Encoding.UTF8, "application/json"));
            id = added.StatusCode == HttpStatusCode.Created
                ? System.Text.Json.JsonDocument.Parse(await added.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()
                : null;
            return id is not null;
        });
        return id!;
    }

    /// <summary>Out again, so the other tests of the class keep a three-member quorum.</summary>
    private Task RemoveMemberAsync(string id) =>
        cluster.EventuallyAsync("the member removed", async () =>
        {
            using var removed = await cluster.Http.DeleteAsync(new Uri(cluster.Members[0].ClientUrl, $"/v2/members/{id}"));
            return removed.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound;
        });

    /// <summary>True when the peer port answers a member-list query over TLS with this client certificate (sent from <paramref name="from"/>).</summary>
    private async Task<bool> MembershipQueryAsync(Uri peerUrl, CertFiles? clientCertificate, IPAddress? from = null)
    {
        using var tcp = from is null ? new TcpClient() : new TcpClient(new IPEndPoint(from, 0));
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
