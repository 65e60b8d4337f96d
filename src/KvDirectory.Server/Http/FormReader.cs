using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Text;
using KvDirectory.Protocol;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Server.Http;

/// <summary>
/// Reads request parameters as Go's <c>ParseForm</c> does: a url-encoded body only for POST, PUT and PATCH,
/// then the query string; a malformed one is etcd's error 210 with the parser's message as cause.
/// </summary>
public static class FormReader
{
    /// <summary>Synchronous for a request without a form body (every GET); one without a query shares <see cref="FormValues.Empty"/>.</summary>
    public static ValueTask<FormValues> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        HasFormBody(request) ? ReadBodyAndQueryAsync(request, cancellationToken) : ValueTask.FromResult(AddQuery(request, form: null));

    private static async ValueTask<FormValues> ReadBodyAndQueryAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var form = new FormValues();
        var body = await ReadBodyAsync(request.BodyReader, cancellationToken);
        // The body's error wins over the query's, as in Go's ParseForm.
        var error = GoQueryParser.ParseInto(body, form);
        return error is null ? AddQuery(request, form) : throw new EtcdException(EtcdErrorCode.InvalidForm, error);
    }

    /// <summary>
    /// The whole body as UTF-8 text (invalid bytes become U+FFFD), straight from Kestrel's buffers: a StreamReader cost
    /// a 1 KB byte buffer, a 2 KB char buffer and a StringBuilder per write, a third of what a PUT allocated. Like Go,
    /// a byte-order mark is text, not a sign of the encoding. Kestrel enforces --max-request-bytes while it reads.
    /// </summary>
    private static async ValueTask<string> ReadBodyAsync(PipeReader body, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            if (read.IsCompleted)
            {
                var text = Encoding.UTF8.GetString(read.Buffer);
                body.AdvanceTo(read.Buffer.End);
                return text;
            }

            // Nothing consumed, everything examined: the next read returns once more bytes arrived.
            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static FormValues AddQuery(HttpRequest request, FormValues? form)
    {
        var query = request.QueryString.Value;
        if (query is null || query.Length <= 1)
        {
            return form ?? FormValues.Empty;
        }

        form ??= new FormValues();
        var error = GoQueryParser.ParseInto(query[1..], form);
        return error is null ? form : throw new EtcdException(EtcdErrorCode.InvalidForm, error);
    }

    private static bool HasFormBody(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) && !HttpMethods.IsPatch(request.Method))
        {
            return false;
        }

        return MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            && string.Equals(mediaType.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
    }
}
