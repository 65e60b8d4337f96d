using System.Net;
using System.Text.Json;
using KvDirectory.Fuzz.Tests.Oracles;

namespace KvDirectory.Fuzz.Tests.Auth;

/// <summary>
/// Writes to the store model's keys with credentials that may not write there (the reader, the writer outside its
/// prefixes, wrong passwords, unknown users, the guest, malformed headers): each must be answered 401 and leave the key
/// exactly as root read it just before. Runs in the model's loop, so nothing else writes those keys meanwhile.
/// </summary>
public sealed class DeniedWriteProbe(HttpClient client, Random random)
{
    private static readonly string?[] Credentials =
    [
        AuthVocabulary.Basic(AuthVocabulary.Reader, AuthVocabulary.ReaderPassword),
        AuthVocabulary.Basic(AuthVocabulary.Writer, AuthVocabulary.WriterPassword),
        AuthVocabulary.Basic(AuthVocabulary.Root, "wrong-0"),
        AuthVocabulary.Basic("nobody0", "x"),
        null,
        "Basic !!!",
        AuthVocabulary.Basic([.. "root:"u8, 0xFF, 0xFE]),
    ];

    private readonly List<string> _violations = [];

    public int Probes { get; private set; }

    public IReadOnlyList<string> Violations => _violations;

    public async Task StepAsync(CancellationToken cancellationToken)
    {
        var key = "/oracle/k" + random.Next(StoreModel.KeyCount);
        var credentials = Credentials[random.Next(Credentials.Length)];
        var (method, query) = random.Next(5) switch
        {
            0 => (HttpMethod.Put, ""),
            1 => (HttpMethod.Delete, ""),
            2 => (HttpMethod.Put, "?prevExist=false"),
            3 => (HttpMethod.Post, ""),
            _ => (HttpMethod.Delete, "?recursive=true&dir=true"),
        };
        try
        {
            var before = await ReadAsync(key, cancellationToken);
            using var request = new HttpRequestMessage(method, "/v2/keys" + key + query);
            if (credentials is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", credentials);
            }

            if (method != HttpMethod.Delete)
            {
                request.Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("value", "denied")]);
            }

            using var response = await client.SendAsync(request, cancellationToken);
            var after = await ReadAsync(key, cancellationToken);
            Probes++;
            var what = $"{method} {key}{query} with {credentials ?? "no credentials"}";
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                _violations.Add($"{what} answered {(int)response.StatusCode}, expected 401: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            if (after != before)
            {
                _violations.Add($"{what} was refused but changed the key: before {before}, after {after}");
            }
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            // A failed exchange proves nothing either way; the model's final comparison still covers the key.
        }
    }

    /// <summary>The key as root sees it: absent, or its value and modified index.</summary>
    private async Task<string> ReadAsync(string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/keys" + key);
        request.Headers.Authorization = AuthSetup.RootHeader;
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return "absent";
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            return $"unreadable by root ({(int)response.StatusCode})";
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var node = document.RootElement.GetProperty("node");
        return $"{node.GetProperty("value").GetString()} at {node.GetProperty("modifiedIndex").GetInt64()}";
    }
}
