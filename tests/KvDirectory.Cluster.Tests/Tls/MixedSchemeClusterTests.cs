using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using KvDirectory.Testing;
using KvDirectory.Testing.Processes;
using KvDirectory.Transport;

namespace KvDirectory.Cluster.Tests.Tls;

/// <summary>
/// etcd 3.4 lets one cluster mix peer schemes: a member listens on every --listen-peer-urls entry, each with TLS or not
/// by its own scheme, and dials a peer URL by its scheme, using its peer certificate for https ones even when its own
/// URLs are http. The same three members run against etcd and against ours: a on http only (with a certificate to dial
/// the others), b on https only (client certificates required), c on both.
/// </summary>
public sealed class MixedSchemeClusterTests
{
    [Theory]
    [InlineData(ServerLaunch.Etcd)]
    [InlineData(ServerLaunch.KvDirectory)]
    public async Task Members_on_http_https_and_both_form_one_cluster_and_replicate(string kind)
    {
        var root = Path.Combine(Path.GetTempPath(), $"kvdirectory-mixed-{Guid.NewGuid():N}");
        using var ca = new TestCa(Path.Combine(root, "pki"), "mixed-ca");
        var aPeer = $"http://127.0.0.1:{FreePort.Next()}";
        var bPeer = $"https://127.0.0.1:{FreePort.Next()}";
        var (cPlain, cTls) = ($"http://127.0.0.1:{FreePort.Next()}", $"https://127.0.0.1:{FreePort.Next()}");
        var initialCluster = $"a={aPeer},b={bPeer},c={cPlain},c={cTls}";
        var members = new[] { ("a", aPeer), ("b", bPeer), ("c", $"{cPlain},{cTls}") }
            .Select(m => (Name: m.Item1, PeerUrls: m.Item2, ClientUrl: new Uri($"http://127.0.0.1:{FreePort.Next()}"))).ToArray();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var processes = new List<LaunchedServer>();
        try
        {
            foreach (var member in members)
            {
                var certificate = ca.Issue("peer-" + member.Name);
                processes.Add(LaunchedServer.Start(new ServerLaunch
                {
                    Kind = kind,
                    Arguments =
                    [
                        .. ServerLaunch.MemberFlags(member.Name, Path.Combine(root, member.Name), member.ClientUrl.ToString().TrimEnd('/'), member.PeerUrls, initialCluster),
                        "--peer-cert-file", certificate.CertFile,
                        "--peer-key-file", certificate.KeyFile,
                        "--peer-trusted-ca-file", ca.CaFile,
                        "--peer-client-cert-auth",
                    ],
                }));
            }

            await Task.WhenAll(members.Select((m, i) => processes[i].WaitUntilHealthyAsync(m.ClientUrl, TimeSpan.FromSeconds(90), http)));
            await EventuallyAsync(processes, async () =>
            {
                using var put = await http.PutAsync(new Uri(members[0].ClientUrl, "/v2/keys/mixed"), new FormUrlEncodedContent([new("value", kind)]));
                return put.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created;
            });
            foreach (var member in members.Skip(1))
            {
                await EventuallyAsync(processes, async () => (await http.GetStringAsync(new Uri(member.ClientUrl, "/v2/keys/mixed"))).Contains($"\"value\":\"{kind}\""));
            }

            using var list = JsonDocument.Parse(await http.GetStringAsync(new Uri(members[1].ClientUrl, "/v2/members")));
            list.RootElement.GetProperty("members").EnumerateArray()
                .Select(m => string.Join(',', m.GetProperty("peerURLs").EnumerateArray().Select(u => u.GetString()).Order(StringComparer.Ordinal)))
                .Should().BeEquivalentTo([aPeer, bPeer, $"{cPlain},{cTls}"]);

            if (kind == ServerLaunch.KvDirectory)
            {
                // c's http listener answers plain TCP; its https one and b's give plain TCP nothing.
                (await PlainMemberListAsync(new Uri(cPlain))).Should().BeTrue();
                (await PlainMemberListAsync(new Uri(cTls))).Should().BeFalse();
                (await PlainMemberListAsync(new Uri(bPeer))).Should().BeFalse();

                // The startup log says which peer ports use TLS: a's certificate only dials.
                processes[0].Output.Should().Contain("The peer port is plain http").And.NotContain("TLS on the peer port");
                processes[1].Output.Should().Contain("TLS on the peer port");
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Polls: replication has no event a client can await.</summary>
    private static async Task EventuallyAsync(List<LaunchedServer> processes, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the mixed cluster did not replicate within 60 s:\n" + string.Join('\n', processes.Select(p => p.Output)));
            }

            await Task.Delay(100);
        }
    }

    private static async Task<bool> PlainMemberListAsync(Uri peerUrl)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(peerUrl.Host, peerUrl.Port);
        var stream = tcp.GetStream();
        try
        {
            var query = new ArrayBufferWriter<byte>(PeerFrame.HeaderSize);
            PeerFrame.Write(query, PeerFrameKind.MembershipQuery, []);
            await stream.WriteAsync(query.WrittenMemory);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            return await PeerFrame.ReadAsync(stream, timeout.Token) is { Kind: PeerFrameKind.MembershipReply };
        }
        catch (Exception error) when (error is IOException or OperationCanceledException or KvDirectory.Wire.WireFormatException)
        {
            return false;
        }
    }
}
