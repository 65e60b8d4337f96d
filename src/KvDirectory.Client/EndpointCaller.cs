using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using KvDirectory.Protocol;

namespace KvDirectory.Client;

/// <summary>
/// Sends one request to one endpoint and reads the whole answer: header deadline, credentials, the curl debug line,
/// and the Go client's words for every failure (etcdctl users grep for them).
/// </summary>
internal sealed class EndpointCaller
{
    private readonly Func<HttpClient> _http;
    private readonly EtcdClientOptions _options;
    private readonly AuthenticationHeaderValue? _authorization;

    /// <param name="http">The HttpClient to use for one request: the client's own, or a fresh one from IHttpClientFactory.</param>
    public EndpointCaller(EtcdClientOptions options, Func<HttpClient> http)
    {
        _options = options;
        _http = http;
        if (options.Username is not null)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            _authorization = new AuthenticationHeaderValue("Basic", credentials);
        }
    }

    private TextWriter? DebugWriter => _options.DebugWriter;

    public async Task<EtcdResponse> SendToAsync(Uri endpoint, EtcdRequest request, CancellationToken cancellationToken)
    {
        var uri = new Uri(endpoint.GetLeftPart(UriPartial.Authority) + request.PathAndQuery);
        WriteDebug(request, uri);
        ClientTelemetry.Requests.Add(1, new KeyValuePair<string, object?>("method", request.Method.Method));
        using var message = new HttpRequestMessage(request.Method, uri);
        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType ?? "application/x-www-form-urlencoded");
        }

        message.Headers.Authorization = _authorization;
        using var headerDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (!request.IsWatch)
        {
            headerDeadline.CancelAfter(_options.RequestTimeout);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http().SendAsync(message, HttpCompletionOption.ResponseHeadersRead, headerDeadline.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or SocketException or IOException)
        {
            // A peer that resets the connection right after accepting it can make HttpClient's connect throw the bare
            // SocketException (ENOTCONN reading the remote end point; seen in CI), not an HttpRequestException.
            throw new EndpointFailure(GoErrorText.Describe(exception, endpoint), isConnectionError: true, exception,
                exception is HttpRequestException httpError && GoErrorText.NeverConnected(httpError));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EndpointFailure($"client: endpoint {endpoint.GetLeftPart(UriPartial.Authority)} exceeded header timeout", isConnectionError: true);
        }

        using (response)
        {
            DebugWriter?.WriteLine($"Response: {(int)response.StatusCode} {response.ReasonPhrase}");
            // Like the Go client, any 5xx (etcd's 300/301 JSON errors included) marks the member failed and moves on.
            if ((int)response.StatusCode >= 500 && !request.AcceptAnyStatus)
            {
                // The Go client reads 500 and 503 as "no leader" and words them so; scripts match on that.
                var member = endpoint.GetLeftPart(UriPartial.Authority);
                throw new EndpointFailure(
                    response.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable
                        ? $"client: etcd member {member} has no leader"
                        : $"client: etcd member {member} returns server error [{ReasonFor(response.StatusCode)}]",
                    isConnectionError: false);
            }

            var body = string.Empty;
            try
            {
                if (request.DownloadTo is { } destination && response.IsSuccessStatusCode)
                {
                    if (destination.CanSeek)
                    {
                        destination.SetLength(0);
                    }

                    await response.Content.CopyToAsync(destination, cancellationToken);
                }
                else
                {
                    body = await response.Content.ReadAsStringAsync(cancellationToken);
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException)
            {
                throw new EndpointFailure(GoErrorText.Describe(exception, endpoint), isConnectionError: true, exception);
            }

            return new EtcdResponse(response.StatusCode, body, endpoint)
            {
                EtcdIndex = HeaderNumber(response, "X-Etcd-Index"),
                RaftIndex = HeaderNumber(response, "X-Raft-Index"),
                RaftTerm = HeaderNumber(response, "X-Raft-Term"),
                ClusterId = response.Headers.TryGetValues("X-Etcd-Cluster-Id", out var ids) ? ids.FirstOrDefault() : null,
            };
        }
    }

    private static string ReasonFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.InternalServerError => "Internal Server Error",
        HttpStatusCode.NotImplemented => "Not Implemented",
        HttpStatusCode.BadGateway => "Bad Gateway",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        HttpStatusCode.GatewayTimeout => "Gateway Timeout",
        HttpStatusCode.HttpVersionNotSupported => "HTTP Version Not Supported",
        _ => status.ToString(),
    };

    private static long? HeaderNumber(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), out var number) ? number : null;

    private static bool IsShellSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is ':' or '/' or '.' or '_' or '~' or '%' or '-' or '=' or '+' or ',' or '@';

    private void WriteDebug(EtcdRequest request, Uri uri)
    {
        if (DebugWriter is null)
        {
            return;
        }

        // etcdctl prints the URL bare; quoting it when needed keeps the line runnable when pasted into a shell.
        var url = uri.OriginalString;
        var command = $"curl -X {request.Method.Method} {(url.All(IsShellSafe) ? url : "'" + url.Replace("'", "'\\''", StringComparison.Ordinal) + "'")}";
        if (request.ContentType is { } contentType)
        {
            command += $" -H \"Content-Type: {contentType}\"";
        }

        if (request.Body is not null)
        {
            command += " -d " + GoUrl.Quote(request.Body);
        }

        DebugWriter.WriteLine($"cURL Command: {command}");
    }
}
