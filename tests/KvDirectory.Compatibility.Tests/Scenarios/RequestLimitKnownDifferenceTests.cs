using System.Net;
using System.Text;
using KvDirectory.Compatibility.Tests.Harness;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>
/// KNOWN-DIFFERENCES.md §5: limits etcd 3.4 does not have on the v2 API. etcd takes a key of any length and depth, any
/// v2 body size and up to 1 MB of headers on a kept-alive connection; we refuse past --max-key-bytes (4096),
/// --max-key-depth (256), --max-request-bytes (1.5 MiB, which etcd applies to gRPC only) and 32 KiB of headers.
/// Each request goes on a connection that already carried one request: etcd's connection multiplexer resets a
/// connection whose first request line is over about 4 KiB, which is etcd's own (unanswered) limit on new connections.
/// </summary>
[Collection(DifferentialCollection.Name)]
public sealed class RequestLimitKnownDifferenceTests(DifferentialPair pair)
{
    private const string Prefix = "/request-limit-known-difference";

    [Fact]
    public async Task A_key_over_4096_bytes_is_stored_by_etcd_and_refused_with_209_by_kvdirectory()
    {
        foreach (var server in pair.Both)
        {
            var answer = await OnWarmConnectionAsync(server.ClientUrl, HttpMethod.Put, $"/v2/keys{Prefix}/{new string('k', 5_000)}", "value=1");
            Check(server, answer, HttpStatusCode.Created, "\"errorCode\":209", "key is longer than --max-key-bytes (4096 bytes)");
        }
    }

    [Fact]
    public async Task A_key_deeper_than_256_segments_is_stored_by_etcd_and_refused_with_209_by_kvdirectory()
    {
        foreach (var server in pair.Both)
        {
            var answer = await OnWarmConnectionAsync(server.ClientUrl, HttpMethod.Put, $"/v2/keys{Prefix}{string.Concat(Enumerable.Repeat("/d", 300))}", "value=1");
            Check(server, answer, HttpStatusCode.Created, "\"errorCode\":209", "key has more than --max-key-depth (256) path segments");
        }
    }

    [Fact]
    public async Task A_body_over_max_request_bytes_is_stored_by_etcd_and_refused_with_413_by_kvdirectory()
    {
        foreach (var server in pair.Both)
        {
            var answer = await OnWarmConnectionAsync(server.ClientUrl, HttpMethod.Put, $"/v2/keys{Prefix}/big", "value=" + new string('b', 2_000_000));
            Check(server, answer, HttpStatusCode.Created, "\"errorCode\":210", "larger than --max-request-bytes", HttpStatusCode.RequestEntityTooLarge);
        }
    }

    [Fact]
    public async Task Headers_over_32_KiB_are_served_by_etcd_and_refused_with_an_empty_431_by_kvdirectory()
    {
        foreach (var server in pair.Both)
        {
            var answer = await OnWarmConnectionAsync(server.ClientUrl, HttpMethod.Get, $"/v2/keys{Prefix}/absent", body: null, header: new string('h', 40_000));
            if (Reference(server))
            {
                answer.Status.Should().Be(HttpStatusCode.NotFound, server.Kind);
            }
            else
            {
                answer.Status.Should().Be(HttpStatusCode.RequestHeaderFieldsTooLarge, server.Kind);
                answer.Body.Should().BeEmpty();
            }
        }
    }

    [Fact]
    public async Task Raw_non_ascii_and_nul_in_a_target_are_served_by_etcd_and_refused_with_an_empty_400_by_kvdirectory()
    {
        byte[][] targets = [[.. "/v2/keys"u8, .. Encoding.ASCII.GetBytes(Prefix), .. "/中"u8], [.. "/v2/keys"u8, .. Encoding.ASCII.GetBytes(Prefix), .. "/a%00b"u8]];
        foreach (var server in pair.Both)
        {
            foreach (var target in targets)
            {
                var statusLine = await RawStatusLineAsync(server.ClientUrl, target);
                if (Reference(server))
                {
                    statusLine.Should().StartWith("HTTP/1.1 404", server.Kind);
                }
                else
                {
                    statusLine.Should().StartWith("HTTP/1.1 400").And.Contain("Content-Length: 0");
                }
            }
        }
    }

    private static async Task<string> RawStatusLineAsync(Uri server, byte[] target)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        await socket.SendAsync((byte[])[.. "GET "u8, .. target, .. " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8]);
        var buffer = new byte[2048];
        var received = 0;
        int read;
        while (received < buffer.Length && (read = await socket.ReceiveAsync(buffer.AsMemory(received))) > 0)
        {
            received += read;
        }

        return Encoding.Latin1.GetString(buffer, 0, received);
    }

    private bool Reference(Testing.ServerProcess server) => server == pair.Reference || !CandidateKind.IsKvDirectory;

    private void Check(Testing.ServerProcess server, (HttpStatusCode Status, string Body) answer, HttpStatusCode etcdStatus, string code, string cause, HttpStatusCode ourStatus = HttpStatusCode.BadRequest)
    {
        if (Reference(server))
        {
            answer.Status.Should().Be(etcdStatus, server.Kind);
            return;
        }

        answer.Status.Should().Be(ourStatus, answer.Body);
        answer.Body.Should().Contain(code).And.Contain(cause);
    }

    /// <summary>A fresh single connection: a small GET first, then the request under test on the same connection.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> OnWarmConnectionAsync(Uri server, HttpMethod method, string pathAndQuery, string? body, string? header = null)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using (var warm = await client.GetAsync(RawHttp.Address(server, "/v2/keys/")))
        {
            warm.EnsureSuccessStatusCode();
        }

        using var request = new HttpRequestMessage(method, RawHttp.Address(server, pathAndQuery));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.ASCII, RawHttp.FormContentType);
        }

        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Big", header);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
