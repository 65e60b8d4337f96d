using System.Net;
using System.Net.Sockets;
using System.Text;
using KvDirectory.Fuzz.Tests.Generation;
using KvDirectory.Fuzz.Tests.Oracles;
using KvDirectory.Fuzz.Tests.Raw;

namespace KvDirectory.Fuzz.Tests;

/// <summary>
/// Sends the generated requests from several workers, each with its own seeded generator and its own keep-alive
/// connection (replaced whenever a request closes it, or the server does), and judges every answer.
/// </summary>
public sealed class FuzzRunner(Uri target, FuzzSettings settings, FuzzReport report, HttpClient client, bool authOn = false)
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan QuietTimeout = TimeSpan.FromMilliseconds(700);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // The first workers take one more each, so the run sends exactly the requests asked for (100,000 is no multiple of 6).
        var (perWorker, extra) = Math.DivRem(settings.Requests, settings.Workers);
        await Task.WhenAll(Enumerable.Range(0, settings.Workers).Select(worker =>
            Task.Run(() => WorkerAsync(worker, perWorker + (worker < extra ? 1 : 0), cancellationToken), cancellationToken)));
    }

    private async Task WorkerAsync(int worker, int count, CancellationToken cancellationToken)
    {
        var random = new Random(unchecked((settings.Seed * 31) + worker));
        var generator = new RequestGenerator(random, authOn);
        Connection? connection = null;
        try
        {
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                report.CountRequest();
                if (random.Next(10) == 0)
                {
                    await HttpClientExchangeAsync(generator.WellFormedParts(out var endpoint, forBody: false), endpoint, $"seed {settings.Seed} worker {worker} request {i}");
                    continue;
                }

                var request = generator.Next();
                connection ??= await Connection.OpenAsync(target, cancellationToken);
                var keep = await ExchangeAsync(connection, request, $"seed {settings.Seed} worker {worker} request {i}", random);
                if (!keep)
                {
                    connection.Close(abortive: random.Next(2) == 0);
                    connection = null;
                }
            }
        }
        finally
        {
            connection?.Close(abortive: false);
        }
    }

    /// <summary>One exchange; false when the connection cannot be used again.</summary>
    private async Task<bool> ExchangeAsync(Connection connection, FuzzRequest request, string where, Random random)
    {
        try
        {
            await connection.Stream.WriteAsync(request.Bytes);
        }
        catch (IOException)
        {
            // The server closed a kept-alive connection meanwhile (keep-alive timeout), or refused a huge send early.
            report.Record(request.Endpoint, "send-refused");
            return false;
        }

        if (request.Delivery == Delivery.CloseAfterSend)
        {
            report.Record(request.Endpoint, "closed-by-client");
            return false;
        }

        var expected = request.Delivery == Delivery.Read ? request.Responses : int.MaxValue;
        for (var answered = 0; answered < expected;)
        {
            RawResponse? response;
            try
            {
                var headerTimeout = request.Delivery == Delivery.ReadUntilQuiet ? QuietTimeout : AnswerTimeout;
                response = await connection.Reader.ReadAsync(request.IsHead, headerTimeout, request.MayPark ? TimeSpan.FromMilliseconds(random.Next(1, 200)) : AnswerTimeout);
            }
            catch (Exception error) when (error is OperationCanceledException or IOException or EndOfStreamException or InvalidDataException)
            {
                var outcome = error is OperationCanceledException ? "no-answer" : "cut-off";
                report.Record(request.Endpoint, outcome);
                if (request.Delivery == Delivery.Read && request.WellFramed && error is OperationCanceledException)
                {
                    report.Fail($"{where}: no answer within {AnswerTimeout.TotalSeconds} s to {Describe(request)}");
                }

                return false;
            }

            if (response is null)
            {
                report.Record(request.Endpoint, answered == 0 ? "closed-by-server" : "closed-after-answer");
                return false;
            }

            if (response.Status < 200)
            {
                continue;
            }

            answered++;
            report.Record(request.Endpoint, response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (ResponseOracle.Judge(request, response) is { } reason)
            {
                report.Fail($"{where}: {reason} for {Describe(request)}\n    answer: {response.Status} {Truncate(response.BodyText, 300)}");
            }

            if (!response.Complete || response.ClosesConnection)
            {
                return false;
            }
        }

        return request.Delivery == Delivery.Read;
    }

    /// <summary>The same kind of request through HttpClient, which frames it itself (and refuses some of it before sending).</summary>
    private async Task HttpClientExchangeAsync(RequestParts parts, string endpoint, string where)
    {
        HttpRequestMessage message;
        try
        {
            message = new HttpRequestMessage(new HttpMethod(parts.Method), parts.Target);
            foreach (var (name, value) in parts.Headers.Where(h => h.Name is not ("Host" or "Content-Type" or "Content-Encoding")))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            if (parts.Body.Length > 0 || parts.Method is "PUT" or "POST")
            {
                message.Content = new ByteArrayContent(parts.Body);
                foreach (var (name, value) in parts.Headers.Where(h => h.Name is "Content-Type" or "Content-Encoding"))
                {
                    message.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }
        }
        catch (Exception error) when (error is FormatException or ArgumentException or UriFormatException)
        {
            report.Record(endpoint, "client-refused");
            return;
        }

        using (message)
        {
            try
            {
                using var timeout = new CancellationTokenSource(AnswerTimeout);
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                report.Record(endpoint, "http-" + status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (status >= 500)
                {
                    report.Fail($"{where}: answered {status} through HttpClient for {parts.Method} {parts.Target}");
                }
            }
            catch (Exception error) when (error is HttpRequestException or OperationCanceledException)
            {
                report.Record(endpoint, "http-" + error.GetType().Name);
            }
            catch (UriFormatException)
            {
                // A target such as "//x" is a network-path reference: HttpClient cannot combine it with its base address.
                report.Record(endpoint, "client-refused");
            }
        }
    }

    private static string Describe(FuzzRequest request) => $"[{request.Kind}] {Truncate(Escape(request.Bytes), 600)}";

    private static string Escape(byte[] bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes.Take(2_000))
        {
            text.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }

        return text.ToString();
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + $"… ({text.Length} chars)";

    private sealed class Connection(Socket socket, NetworkStream stream)
    {
        public NetworkStream Stream { get; } = stream;

        public RawResponseReader Reader { get; } = new(stream);

        public static async Task<Connection> OpenAsync(Uri target, CancellationToken cancellationToken)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, target.Port), cancellationToken);
            return new Connection(socket, new NetworkStream(socket, ownsSocket: true));
        }

        /// <summary>Closes as a client that leaves: politely (FIN), or abruptly (RST, as a crashed client or a proxy does).</summary>
        public void Close(bool abortive)
        {
            if (abortive)
            {
                socket.LingerState = new LingerOption(true, 0);
            }

            Stream.Dispose();
        }
    }
}
