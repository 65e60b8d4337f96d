using System.Text.Json;
using KvDirectory.Fuzz.Tests.Generation;
using KvDirectory.Fuzz.Tests.Raw;

namespace KvDirectory.Fuzz.Tests.Oracles;

/// <summary>
/// What every answer must satisfy whatever was asked: no 5xx (except 505 for an HTTP version the server does not
/// speak, which Go's server, so etcd, answers too), JSON where it says JSON, and etcd's JSON errors on the keys API.
/// Returns a reason when the answer breaks a rule, null otherwise.
/// </summary>
public static class ResponseOracle
{
    /// <summary>Deeper than any tree the server accepts (a key of 512 segments nests about 1,040 levels).</summary>
    public const int MaxDepth = 2_048;

    public static string? Judge(FuzzRequest request, RawResponse response)
    {
        if (response.Status >= 500 && !(response.Status == 505 && request.VersionNotSupported))
        {
            return $"answered {response.Status}";
        }

        if (!response.Complete)
        {
            return request.MayPark ? null : "body never completed";
        }

        var isJson = response.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
        if (isJson && response.Body.Length > 0 && !ParsesAsJson(response.Body))
        {
            return "a body labelled application/json is not JSON";
        }

        var kestrelRefused = request.KestrelRefuses && response.Status == 400 && response.Body.Length == 0;
        if (request.WellFramed && !request.IsHead && !kestrelRefused && request.Endpoint == "keys" && response.Status is >= 400 and < 500 && !IsGoTextAnswer(response))
        {
            if (!isJson || !HasErrorCode(response.Body))
            {
                return $"a {response.Status} on the keys API without etcd's JSON error";
            }
        }

        return null;
    }

    /// <summary>Where etcd itself answers text: 405 (Go's http.Error), a path Go cannot unescape, and sizes refused before any handler (414/431).</summary>
    private static bool IsGoTextAnswer(RawResponse response) =>
        response.Status is 405 or 414 or 431
        || (response.Status == 400 && response.BodyText == "400 Bad Request")
        || (response.Status == 404 && response.BodyText == "404 page not found\n");

    private static bool ParsesAsJson(byte[] body)
    {
        try
        {
            // A stream or a long poll may hold several JSON documents, one a line.
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = MaxDepth });
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool HasErrorCode(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("errorCode", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
