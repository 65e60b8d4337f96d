using System.Net;
using System.Text.Json;

namespace KvDirectory.Fuzz.Tests.Oracles;

/// <summary>
/// Keys under <c>/oracle</c> written only by this model, sequentially, while the fuzzers run: every acknowledged write
/// is remembered, conditional writes are checked against what the model knows, and at the end the store must hold
/// exactly the model. A key whose last write got no answer is unknown and left out of the comparison.
/// </summary>
public sealed class StoreModel(HttpClient client, Random random)
{
    private HttpClient _client = client;

    public const int KeyCount = 8;
    private static readonly string[] Values = ["v", "a&b=c", "é中", "line\nbreak", "100%", "+plus", " ", "\"q\"", "x=1;y"];
    private readonly Dictionary<string, string> _expected = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unknown = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];

    public int Operations { get; private set; }

    /// <summary>Verification may come through another client than the writes did.</summary>
    public void UseClient(HttpClient other) => _client = other;

    public IReadOnlyList<string> Violations => _violations;

    public async Task StepAsync(CancellationToken cancellationToken)
    {
        var key = "/oracle/k" + random.Next(KeyCount);
        var value = Values[random.Next(Values.Length)] + random.Next(1000);
        var known = !_unknown.Contains(key);
        var present = _expected.TryGetValue(key, out var current);
        Operations++;
        try
        {
            switch (random.Next(4))
            {
                case 0:
                    await ExpectAsync(HttpMethod.Put, key, "", value, [HttpStatusCode.OK, HttpStatusCode.Created], cancellationToken);
                    _expected[key] = value;
                    _unknown.Remove(key);
                    break;
                case 1:
                    var deleted = await SendAsync(HttpMethod.Delete, key, "", null, cancellationToken);
                    Check(known, key, "DELETE", deleted, present ? HttpStatusCode.OK : HttpStatusCode.NotFound);
                    _expected.Remove(key);
                    _unknown.Remove(key);
                    break;
                case 2 when present && known:
                    var swapped = await SendAsync(HttpMethod.Put, key, "?prevValue=" + Uri.EscapeDataString(current!), value, cancellationToken);
                    Check(known, key, "compareAndSwap", swapped, HttpStatusCode.OK);
                    _expected[key] = value;
                    break;
                default:
                    var created = await SendAsync(HttpMethod.Put, key, "?prevExist=false", value, cancellationToken);
                    if (known)
                    {
                        Check(known, key, "create", created, present ? HttpStatusCode.PreconditionFailed : HttpStatusCode.Created);
                    }

                    if (created == HttpStatusCode.Created)
                    {
                        _expected[key] = value;
                        _unknown.Remove(key);
                    }

                    break;
            }
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or ModelException)
        {
            _unknown.Add(key);
            if (error is ModelException)
            {
                _violations.Add(error.Message);
            }
        }
    }

    /// <summary>Compares the store's <c>/oracle</c> subtree with the model; returns what differs.</summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(CancellationToken cancellationToken)
    {
        var differences = new List<string>(_violations);
        using var response = await _client.GetAsync("/v2/keys/oracle?recursive=true&sorted=true", cancellationToken);
        var actual = new Dictionary<string, string>(StringComparer.Ordinal);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (document.RootElement.GetProperty("node").TryGetProperty("nodes", out var nodes))
            {
                foreach (var node in nodes.EnumerateArray())
                {
                    actual[node.GetProperty("key").GetString()!] = node.GetProperty("value").GetString()!;
                }
            }
        }

        foreach (var key in Enumerable.Range(0, KeyCount).Select(i => "/oracle/k" + i).Where(k => !_unknown.Contains(k)))
        {
            var expected = _expected.GetValueOrDefault(key);
            var found = actual.GetValueOrDefault(key);
            if (expected != found)
            {
                differences.Add($"{key}: model {expected ?? "(absent)"}, store {found ?? "(absent)"}");
            }
        }

        return differences;
    }

    private void Check(bool known, string key, string operation, HttpStatusCode status, HttpStatusCode expected)
    {
        if (known && status != expected)
        {
            throw new ModelException($"{operation} {key} answered {(int)status}, the model expected {(int)expected}");
        }
    }

    private async Task ExpectAsync(HttpMethod method, string key, string query, string value, HttpStatusCode[] expected, CancellationToken cancellationToken)
    {
        var status = await SendAsync(method, key, query, value, cancellationToken);
        if (!expected.Contains(status))
        {
            throw new ModelException($"{method} {key} answered {(int)status}");
        }
    }

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string key, string query, string? value, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, "/v2/keys" + key + query);
        if (value is not null)
        {
            request.Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("value", value)]);
        }

        using var response = await _client.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            throw new ModelException($"{method} {key} answered {(int)response.StatusCode}");
        }

        return response.StatusCode;
    }

    private sealed class ModelException(string message) : Exception(message);
}
