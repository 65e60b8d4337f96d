using System.Buffers;
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
    private const string FormContentType = "application/x-www-form-urlencoded";

    /// <summary>Synchronous for a request without a form body (every GET); one without a query shares <see cref="FormValues.Empty"/>.</summary>
    public static ValueTask<FormValues> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        HasFormBody(request) ? ReadBodyAndQueryAsync(request, cancellationToken) : ValueTask.FromResult(AddQuery(request, form: null));

    private static async ValueTask<FormValues> ReadBodyAndQueryAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var form = new FormValues();
        var error = await ParseBodyAsync(request.BodyReader, form, cancellationToken);
        // The body's error wins over the query's, as in Go's ParseForm.
        return error is null ? AddQuery(request, form) : throw new EtcdException(EtcdErrorCode.InvalidForm, error);
    }

    /// <summary>
    /// Parses the whole body as UTF-8 text (invalid bytes become U+FFFD) straight from Kestrel's buffers through a
    /// pooled char buffer: only the names and values become strings. A StreamReader cost a 1 KB byte buffer, a 2 KB char
    /// buffer and a StringBuilder per write, the body as one string a copy more. Like Go, a byte-order mark is text, not
    /// a sign of the encoding. Kestrel enforces --max-request-bytes while it reads. Returns the first error or null.
    /// </summary>
    private static async ValueTask<string?> ParseBodyAsync(PipeReader body, FormValues form, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            if (read.IsCompleted)
            {
                var error = Parse(read.Buffer, form);
                body.AdvanceTo(read.Buffer.End);
                return error;
            }

            // Nothing consumed, everything examined: the next read returns once more bytes arrived.
            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static string? Parse(in ReadOnlySequence<byte> bytes, FormValues form)
    {
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(checked((int)bytes.Length)));
        try
        {
            var length = Encoding.UTF8.GetChars(bytes, chars);
            return GoQueryParser.ParseInto(chars.AsSpan(0, length), form);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
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
        var error = GoQueryParser.ParseInto(query.AsSpan(1), form);
        return error is null ? form : throw new EtcdException(EtcdErrorCode.InvalidForm, error);
    }

    private static bool HasFormBody(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) && !HttpMethods.IsPatch(request.Method))
        {
            return false;
        }

        // The header as curl and every client send it needs no parser (an object per write).
        var contentType = request.ContentType;
        return string.Equals(contentType, FormContentType, StringComparison.OrdinalIgnoreCase)
            || (MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
                && string.Equals(mediaType.MediaType, FormContentType, StringComparison.OrdinalIgnoreCase));
    }
}
