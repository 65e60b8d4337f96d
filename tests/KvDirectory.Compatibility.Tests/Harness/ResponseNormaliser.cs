using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>Turns a raw answer into what must match: indexes rebased, expirations and member ids masked, listings ordered.</summary>
public static partial class ResponseNormaliser
{
    /// <summary>Headers compared by value (after rebasing X-Etcd-Index).</summary>
    private static readonly string[] ValueHeaders = ["Content-Type", "X-Etcd-Index", "Access-Control-Allow-Origin", "Allow", "Location", "WWW-Authenticate"];

    /// <summary>Headers whose value is per-process (raft position, cluster id): only their presence must match.</summary>
    private static readonly string[] PresenceHeaders = ["X-Raft-Index", "X-Raft-Term", "X-Etcd-Cluster-Id"];

    public static NormalisedResponse Normalise(HttpSnapshot snapshot, IndexRebase rebase, CompareMode mode, bool keepListingOrder)
    {
        var headers = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ValueHeaders)
        {
            var value = snapshot.Header(name);
            if (value is not null)
            {
                headers[name] = name == "X-Etcd-Index" ? rebase.Rebase(value) : Ports().Replace(value, "http://127.0.0.1:<port>");
            }
        }

        foreach (var name in PresenceHeaders)
        {
            if (snapshot.Header(name) is not null)
            {
                headers[name] = "<present>";
            }
        }

        var body = Ports().Replace(snapshot.Body, "http://127.0.0.1:<port>");
        var json = TryParse(body);
        if (json is null)
        {
            return new NormalisedResponse(snapshot.Status, headers, null, body);
        }

        json = mode == CompareMode.Shape ? Shape(json) : Values(json, rebase, keepListingOrder);
        return new NormalisedResponse(snapshot.Status, headers, json, null) { NonGoStrings = GoEscaping.NonGoStrings(body) };
    }

    private static JsonNode? TryParse(string body)
    {
        var trimmed = body.TrimStart();
        if (trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonNode? Values(JsonNode? node, IndexRebase rebase, bool keepListingOrder)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    result[name] = name switch
                    {
                        "createdIndex" or "modifiedIndex" or "index" when value is JsonValue v && v.TryGetValue<long>(out var n) => rebase.Rebase(n),
                        "expiration" when value is JsonValue v && v.TryGetValue<string>(out var s) && Rfc3339().IsMatch(s) => "<rfc3339 expiration>",
                        "key" when value is JsonValue v && v.TryGetValue<string>(out var s) => rebase.RebaseSequencesIn(s),
                        "cause" when value is JsonValue v && v.TryGetValue<string>(out var s) => rebase.RebaseNumbersIn(s),
                        "id" or "leader" when value is JsonValue v && v.TryGetValue<string>(out _) => "<member-id>",
                        "nodes" when value is JsonArray nodes && !keepListingOrder => SortByKey(nodes, rebase),
                        _ => Values(value, rebase, keepListingOrder),
                    };
                }

                return result;
            case JsonArray array:
                return new JsonArray(array.Select(item => Values(item, rebase, keepListingOrder)).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>Unsorted listings are in no particular order in etcd either; only sorted=true fixes an order worth comparing.</summary>
    private static JsonArray SortByKey(JsonArray nodes, IndexRebase rebase) =>
        new(nodes.Select(item => Values(item, rebase, keepListingOrder: false))
            .OrderBy(item => item?["key"]?.ToString(), StringComparer.Ordinal)
            .ToArray());

    private static JsonNode? Shape(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Shape(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Shape).Distinct(JsonNodeEqualityComparer).Take(1).ToArray()),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => "<string>",
            JsonValueKind.Number => "<number>",
            JsonValueKind.True or JsonValueKind.False => "<bool>",
            _ => "<null>",
        },
        _ => null,
    };

    private static readonly IEqualityComparer<JsonNode?> JsonNodeEqualityComparer = new DeepComparer();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex Ports();

    /// <summary>The value is wall-clock time, the format is not: clients parse it (Go's client as time.Time, RFC 3339).</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    private sealed class DeepComparer : IEqualityComparer<JsonNode?>
    {
        public bool Equals(JsonNode? x, JsonNode? y) => JsonNode.DeepEquals(x, y);

        public int GetHashCode(JsonNode? obj) => 0;
    }
}
