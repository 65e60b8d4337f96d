using System.Net.Http.Headers;
using KvDirectory.Protocol;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Server.Http;

/// <summary>
/// Reads request parameters as Go's <c>ParseForm</c> does: a url-encoded body only for POST, PUT and PATCH,
/// then the query string; a malformed one is etcd's error 210 with the parser's message as cause.
/// </summary>
public static class FormReader
{
    public static async Task<FormValues> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var form = new FormValues();
        string? error = null;
        if (HasFormBody(request))
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(cancellationToken);
            error = GoQueryParser.ParseInto(body, form);
        }

        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty;
        var queryError = GoQueryParser.ParseInto(query, form);
        error ??= queryError;
        if (error is not null)
        {
            throw new EtcdException(EtcdErrorCode.InvalidForm, error);
        }

        return form;
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
