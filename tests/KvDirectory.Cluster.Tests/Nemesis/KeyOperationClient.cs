using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using KvDirectory.Cluster.Tests.Linearizability;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// Sends one register operation to one member as etcd v2 requests it and reads the answer as the model's output.
/// No retries: a retry would turn an unknown outcome into a guess. Anything that may or may not have taken effect
/// (a timeout, a reset, etcd's 300-range errors, a 5xx) is <see cref="ResultKind.Unknown"/>.
/// </summary>
public sealed class KeyOperationClient : IDisposable
{
    private readonly HttpClient _http;

    public KeyOperationClient(TimeSpan timeout, int connectionsPerMember)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(1),
            MaxConnectionsPerServer = connectionsPerMember,
        })
        {
            Timeout = timeout,
        };
    }

    /// <summary>
    /// The output the member answered, with its status and etcd error code for tallies. Throws
    /// <see cref="HttpRequestException"/> or <see cref="TaskCanceledException"/> when no answer came (the caller
    /// records an unknown outcome), <see cref="InvalidOperationException"/> for an answer no register operation can
    /// get (a bug in the test or the server, never to be read as unknown).
    /// </summary>
    public async Task<KeyAnswer> ExecuteAsync(Uri member, OperationInput input)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(input);
        using var request = ToRequest(member, input);
        using var response = await SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var output = Interpret(input, response.StatusCode, body);
        return new KeyAnswer(output, (int)response.StatusCode, ErrorCode(body), output.Kind == ResultKind.CompareFailed ? ComparedAgainst(input, body) : null);
    }

    /// <summary>
    /// HttpClient lets a SocketException through when the connection it just made is reset before it reads the peer's
    /// address (ENOTCONN from <c>Socket.RemoteEndPoint</c>, seen when the nemesis cut a link at that moment): no answer
    /// came, so it is the <see cref="HttpRequestException"/> the contract promises.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        try
        {
            return await _http.SendAsync(request);
        }
        catch (SocketException error)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"connecting to {request.RequestUri} failed: {error.Message}", error);
        }
    }

    /// <summary>The current value etcd names in a compare failure's cause ("[expected != current]"), if it names one.</summary>
    public static string? ComparedAgainst(OperationInput input, string body)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            using var document = JsonDocument.Parse(body);
            var prefix = $"[{input.PrevValue} != ";
            return document.RootElement.TryGetProperty("cause", out var cause) && cause.GetString() is { } text
                && text.StartsWith(prefix, StringComparison.Ordinal) && text.EndsWith(']')
                ? text[prefix.Length..^1]
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether the request failed because nothing listens on the member's port (it is down).</summary>
    public static bool IsRefused(HttpRequestException error) =>
        error?.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };

    public static HttpRequestMessage ToRequest(Uri member, OperationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var path = "/v2/keys" + input.Key;
        FormUrlEncodedContent Value() => new([new KeyValuePair<string, string>("value", input.Value!)]);
        return input.Kind switch
        {
            OperationKind.Get => new HttpRequestMessage(HttpMethod.Get, new Uri(member, path + "?quorum=true")),
            OperationKind.Set => new HttpRequestMessage(HttpMethod.Put, new Uri(member, path)) { Content = Value() },
            OperationKind.CompareAndSwap => new HttpRequestMessage(HttpMethod.Put, new Uri(member, $"{path}?prevValue={Uri.EscapeDataString(input.PrevValue!)}")) { Content = Value() },
            OperationKind.Delete => new HttpRequestMessage(HttpMethod.Delete, new Uri(member, path)),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input.Kind, "the nemesis workload does not send this kind"),
        };
    }

    /// <summary>etcd v2's answer as the register model's output.</summary>
    public static OperationOutput Interpret(OperationInput input, HttpStatusCode status, string body)
    {
        ArgumentNullException.ThrowIfNull(input);
        var code = (int)status;
        JsonElement root = default;
        try
        {
            root = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            // A 5xx from the HTTP stack may have no etcd body; a 2xx or 4xx without one is rejected below.
        }

        var errorCode = ErrorCode(root);
        if (code is >= 200 and < 300 && errorCode is null && root.ValueKind == JsonValueKind.Object)
        {
            if (input.Kind != OperationKind.Get)
            {
                return OperationOutput.Ok();
            }

            var node = root.GetProperty("node");
            return node.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
                ? OperationOutput.Read(value.GetString()!)
                : throw Unexpected(input, status, body);
        }

        return errorCode switch
        {
            100 when status == HttpStatusCode.NotFound => OperationOutput.NotFound(),
            101 when status == HttpStatusCode.PreconditionFailed && input.Kind == OperationKind.CompareAndSwap => OperationOutput.CompareFailed(),
            // 300 raft internal (timed out, server stopped), 301 leader election in progress: may or may not apply.
            >= 300 => OperationOutput.Unknown(),
            null when code >= 500 => OperationOutput.Unknown(),
            _ => throw Unexpected(input, status, body),
        };
    }

    public void Dispose() => _http.Dispose();

    private static int? ErrorCode(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errorCode", out var e) ? e.GetInt32() : null;

    private static int? ErrorCode(string body)
    {
        try
        {
            return ErrorCode(JsonDocument.Parse(body).RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static InvalidOperationException Unexpected(OperationInput input, HttpStatusCode status, string body) =>
        new($"{input} answered {(int)status} {status}: {body}");
}
