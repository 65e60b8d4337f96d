using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>Lists every place two normalised answers differ, by JSON path; empty means equal.</summary>
public static class ResponseComparer
{
    /// <summary>Differences are read by people: quotes and '+' print as themselves, not as \u0022 and \u002B.</summary>
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static List<string> Differences(NormalisedResponse reference, NormalisedResponse candidate)
    {
        var differences = new List<string>();
        if (reference.Status != candidate.Status)
        {
            differences.Add($"status: {reference.Status} != {candidate.Status}");
        }

        foreach (var name in reference.Headers.Keys.Union(candidate.Headers.Keys, StringComparer.OrdinalIgnoreCase))
        {
            var left = reference.Headers.GetValueOrDefault(name) ?? "(absent)";
            var right = candidate.Headers.GetValueOrDefault(name) ?? "(absent)";
            if (left != right)
            {
                differences.Add($"header {name}: {left} != {right}");
            }
        }

        if (reference.Json is null || candidate.Json is null)
        {
            var left = reference.Json?.ToJsonString(Readable) ?? reference.Text ?? "";
            var right = candidate.Json?.ToJsonString(Readable) ?? candidate.Text ?? "";
            if (left != right)
            {
                differences.Add($"body: {Quote(left)} != {Quote(right)}");
            }
        }
        else
        {
            CompareJson("$", reference.Json, candidate.Json, differences);
        }

        if (!reference.NonGoStrings.SequenceEqual(candidate.NonGoStrings, StringComparer.Ordinal))
        {
            var left = reference.NonGoStrings.Count == 0 ? "(all as Go writes them)" : string.Join(", ", reference.NonGoStrings);
            var right = candidate.NonGoStrings.Count == 0 ? "(all as Go writes them)" : string.Join(", ", candidate.NonGoStrings);
            differences.Add($"string escaping: {left} != {right}");
        }

        return differences;
    }

    private static void CompareJson(string path, JsonNode? left, JsonNode? right, List<string> differences)
    {
        switch (left, right)
        {
            case (JsonObject a, JsonObject b):
                foreach (var name in a.Select(p => p.Key).Union(b.Select(p => p.Key)))
                {
                    var inA = a.TryGetPropertyValue(name, out var va);
                    var inB = b.TryGetPropertyValue(name, out var vb);
                    if (inA != inB)
                    {
                        differences.Add($"{path}.{name}: {(inA ? va?.ToJsonString(Readable) : "(absent)")} != {(inB ? vb?.ToJsonString(Readable) : "(absent)")}");
                    }
                    else
                    {
                        CompareJson($"{path}.{name}", va, vb, differences);
                    }
                }

                break;
            case (JsonArray a, JsonArray b):
                if (a.Count != b.Count)
                {
                    differences.Add($"{path}: {a.Count} items != {b.Count} items ({a.ToJsonString(Readable)} != {b.ToJsonString(Readable)})");
                    break;
                }

                for (var i = 0; i < a.Count; i++)
                {
                    CompareJson($"{path}[{i}]", a[i], b[i], differences);
                }

                break;
            default:
                if (path.EndsWith(".ttl", StringComparison.Ordinal) && WithinOneSecond(left, right))
                {
                    break;
                }

                if (!JsonNode.DeepEquals(left, right))
                {
                    differences.Add($"{path}: {left?.ToJsonString(Readable) ?? "null"} != {right?.ToJsonString(Readable) ?? "null"}");
                }

                break;
        }
    }

    /// <summary>A ttl is counted down from the wall clock: the two servers may answer a second apart.</summary>
    private static bool WithinOneSecond(JsonNode? left, JsonNode? right) =>
        left is JsonValue a && right is JsonValue b
        && a.GetValueKind() == JsonValueKind.Number && b.GetValueKind() == JsonValueKind.Number
        && Math.Abs(a.GetValue<long>() - b.GetValue<long>()) <= 1;

    private static string Quote(string text) => JsonSerializer.Serialize(text.Length > 300 ? text[..300] + "…" : text, Readable);
}
