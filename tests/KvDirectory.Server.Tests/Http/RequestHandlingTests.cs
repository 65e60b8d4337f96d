using System.Net;
using System.Text;
using System.Text.Json;
using KvDirectory.Protocol;

namespace KvDirectory.Server.Tests.Http;

public sealed class RequestHandlingTests
{
    [Fact]
    public async Task A_body_over_max_request_bytes_gets_a_JSON_error_and_writes_nothing()
    {
        await using var server = await InProcessServer.StartAsync("--max-request-bytes", "4096");
        var big = new string('x', 10_000);

        using var response = await server.Client.PutAsync("/v2/keys/big", new StringContent("value=" + big, Encoding.ASCII, "application/x-www-form-urlencoded"));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        var error = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ProtocolJsonContext.Default.EtcdError)!;
        error.ErrorCode.Should().Be(EtcdErrorCode.InvalidForm);
        (await server.Client.GetAsync("/v2/keys/big")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    /// <summary>
    /// A client that sends its whole body before it reads (no Expect: 100-continue) must get the 413, not a connection
    /// reset in the middle of its send; the body is read and dropped, so the connection even stays usable.
    /// </summary>
    [Fact]
    public async Task A_client_sending_a_whole_oversized_body_reads_the_413_and_can_go_on_on_the_same_connection()
    {
        await using var server = await InProcessServer.StartAsync("--max-request-bytes", "4096");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var body = Encoding.ASCII.GetBytes("value=" + new string('x', 4_000_000));
        var head = Encoding.ASCII.GetBytes($"PUT /v2/keys/big HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {body.Length}\r\n\r\n");

        await socket.SendAsync(head);
        await socket.SendAsync(body);
        var refused = await ReadAnswerAsync(socket);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /v2/keys/ HTTP/1.1\r\nHost: x\r\n\r\n"));
        var next = await ReadAnswerAsync(socket);

        refused.Should().StartWith("HTTP/1.1 413").And.Contain("\"errorCode\":210").And.Contain("larger than --max-request-bytes (4096 bytes)");
        next.Should().StartWith("HTTP/1.1 200");
    }

    /// <summary>The members and auth APIs answer an oversized JSON body in their own error shape, announced or chunked.</summary>
    [Theory]
    [InlineData("POST", "/v2/members", true)]
    [InlineData("POST", "/v2/members", false)]
    [InlineData("PUT", "/v2/auth/users/big", true)]
    [InlineData("PUT", "/v2/auth/roles/big", false)]
    public async Task A_members_or_auth_body_over_max_request_bytes_gets_413_with_a_message(string method, string path, bool announced)
    {
        await using var server = await InProcessServer.StartAsync("--max-request-bytes", "4096");
        var json = Encoding.UTF8.GetBytes("{\"peerURLs\":[\"http://127.0.0.1:1\"],\"pad\":\"" + new string('x', 100_000) + "\"}");
        HttpContent content = announced ? new ByteArrayContent(json) : new StreamContent(new MemoryStream(json));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (!announced)
        {
            content.Headers.ContentLength = null;
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
        if (!announced)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await server.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).Should().Be("{\"message\":\"request body is larger than --max-request-bytes (4096 bytes)\"}");
        (await server.Client.GetStringAsync("/v2/members")).Should().NotContain("127.0.0.1:1\"", "nothing was added");
    }

    /// <summary>One answer with a Content-Length body, read off the socket.</summary>
    private static async Task<string> ReadAnswerAsync(System.Net.Sockets.Socket socket)
    {
        var received = new StringBuilder();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var text = received.ToString();
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0 && System.Text.RegularExpressions.Regex.Match(text, "Content-Length: (\\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase) is { Success: true } length
                && text.Length >= end + 4 + int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            {
                return text;
            }

            var count = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, timeout.Token);
            if (count == 0)
            {
                return text;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, count));
        }
    }

    [Fact]
    public async Task An_unclean_path_is_redirected_and_a_PUT_to_it_is_not_applied()
    {
        await using var server = await InProcessServer.StartAsync();
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        using var response = await noRedirect.PutAsync("/v2/keys/a//b?x=1", new StringContent("value=1", Encoding.ASCII, "application/x-www-form-urlencoded"));

        response.StatusCode.Should().Be(HttpStatusCode.MovedPermanently);
        response.Headers.Location!.OriginalString.Should().Be("/v2/keys/a/b?x=1");
        (await server.Client.GetAsync("/v2/keys/a/b")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Seeded_random_requests_never_get_a_500()
    {
        var seed = Environment.GetEnvironmentVariable("KVDIR_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 20261123;
        var random = new Random(seed);
        await using var server = await InProcessServer.StartAsync();
        string[] methods = ["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"];
        string[] names = ["value", "ttl", "dir", "prevExist", "prevValue", "prevIndex", "recursive", "sorted", "wait", "waitIndex", "refresh", "quorum", "noValueOnSuccess"];
        string[] values = ["", "true", "false", "0", "1", "-1", "x", "%zz", "99999999999999999999", "t", "%2F", "a;b", "5"];
        string[] paths = ["/v2/keys/", "/v2/keys/a", "/v2/keys/a/b", "/v2/keys/_h", "/v2/keys/a%2Fb", "/v2/keys/%zz", "/v2/keys/d/"];

        for (var i = 0; i < 400; i++)
        {
            var query = string.Join('&', Enumerable.Range(0, random.Next(0, 4)).Select(_ => $"{names[random.Next(names.Length)]}={values[random.Next(values.Length)]}"));
            var method = methods[random.Next(methods.Length)];
            using var request = new HttpRequestMessage(new HttpMethod(method), paths[random.Next(paths.Length)] + "?" + query);
            if (method is "PUT" or "POST")
            {
                request.Content = new StringContent(query, Encoding.ASCII, "application/x-www-form-urlencoded");
            }

            if (query.Contains("wait=", StringComparison.Ordinal) && method == "GET")
            {
                continue;
            }

            using var response = await server.Client.SendAsync(request);

            ((int)response.StatusCode).Should().BeLessThan(500, $"seed {seed}, request {i}: {method} {request.RequestUri} answered {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task An_export_of_a_key_named_in_any_characters_answers_with_a_safe_file_name()
    {
        // Found by the HTTP fuzz test: the key went raw into Content-Disposition, and Kestrel refuses non-ASCII headers (a 500).
        await using var server = await InProcessServer.StartAsync();
        await server.Client.PutAsync("/v2/keys/%C3%A9t%C3%A9/%0A%22q", new StringContent("value=1", Encoding.ASCII, "application/x-www-form-urlencoded"));

        foreach (var path in new[] { "%C3%A9t%C3%A9", "%C3%A9t%C3%A9/%0A%22q", "absent-%C3%A9" })
        {
            using var response = await server.Client.GetAsync("/ui/api/export?path=/" + path);
            ((int)response.StatusCode).Should().BeLessThan(500, path);
            if (response.IsSuccessStatusCode)
            {
                response.Content.Headers.ContentDisposition!.FileNameStar.Should().StartWith("été");
            }
        }
    }

    [Fact]
    public async Task Unknown_paths_answer_Go_404_text_and_OPTIONS_answers_200_with_CORS()
    {
        await using var server = await InProcessServer.StartAsync();

        using var notFound = await server.Client.GetAsync("/nope");
        using var options = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/v2/keys/a"));

        notFound.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await notFound.Content.ReadAsStringAsync()).Should().Be("404 page not found\n");
        options.StatusCode.Should().Be(HttpStatusCode.OK);
        options.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal("*");
    }
}
