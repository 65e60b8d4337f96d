using System.Globalization;
using System.Text.Json;
using KvDirectory.Protocol;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Server.Http;

/// <summary>
/// Reads the body of <c>POST /v2/members</c> and <c>PUT /v2/members/{id}</c> and the id in the path, refusing what
/// etcd refuses with its status and message (415 for another content type, 400 for bad JSON or peer URLs, 404 for a bad id).
/// </summary>
public static class MemberRequestReader
{
    /// <summary>The peer URLs, sorted as etcd keeps them; null after an error response was written.</summary>
    public static async Task<IReadOnlyList<string>?> ReadPeerUrlsAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? string.Empty;
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            contentType = contentType[..semicolon].Trim().ToLowerInvariant();
        }

        if (contentType != "application/json")
        {
            await EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, $"Bad Content-Type {contentType}, accept application/json");
            return null;
        }

        using var body = await MessageBody.ReadAsync(context);
        if (body is null)
        {
            return null;
        }

        var error = TryParse(body.ToArray(), out var urls);
        if (error is not null)
        {
            await EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status400BadRequest, error);
            return null;
        }

        return urls;
    }

    /// <summary>Parses <c>{"peerURLs":[…]}</c>; returns the error message (Go's wording where it is predictable) or null.</summary>
    public static string? TryParse(ReadOnlySpan<byte> json, out IReadOnlyList<string> peerUrls)
    {
        peerUrls = [];
        MemberCreateRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.MemberCreateRequest);
        }
        catch (JsonException)
        {
            // Go's two most common messages; other malformed bodies get one of them too (same status, close wording).
            var text = System.Text.Encoding.UTF8.GetString(json).TrimStart();
            return text.Length == 0 || "{[\"-0123456789tfn".Contains(text[0], StringComparison.Ordinal)
                ? "unexpected end of JSON input"
                : $"invalid character '{text[0]}' looking for beginning of value";
        }

        var urls = request?.PeerUrls ?? [];
        if (urls.Count == 0)
        {
            return "no valid URLs given";
        }

        var checkedUrls = new List<string>();
        foreach (var raw in urls)
        {
            var url = raw.Trim();
            if (ValidatePeerUrl(url) is { } invalid)
            {
                return invalid;
            }

            checkedUrls.Add(url);
        }

        peerUrls = [.. checkedUrls.Order(StringComparer.Ordinal)];
        return null;
    }

    /// <summary>etcd's <c>IDFromString</c>: hexadecimal, up to 64 bits; anything else is "No such member".</summary>
    public static bool TryParseId(string text, out ulong id) =>
        ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out id);

    private static string? ValidatePeerUrl(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 ? url[..schemeEnd] : string.Empty;
        if (scheme is not ("http" or "https" or "unix" or "unixs"))
        {
            return $"URL scheme must be http, https, unix, or unixs: {url}";
        }

        var rest = url[(schemeEnd + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var host = slash >= 0 ? rest[..slash] : rest;
        var colon = host.LastIndexOf(':');
        if (colon < 0 || (host.StartsWith('[') && !host[..colon].EndsWith(']')))
        {
            return $"URL address does not have the form \"host:port\": {url}";
        }

        return slash >= 0 ? $"URL must not contain a path: {url}" : null;
    }
}
