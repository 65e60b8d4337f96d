using System.Text.Json;

namespace KvDirectory.Cluster.Tests;

/// <summary>One leaf key as a recursive GET showed it.</summary>
public sealed record StoredKey(string Key, string Value, long ModifiedIndex, long? Ttl)
{
    /// <summary>Flattens a recursive GET of the root into its leaf keys.</summary>
    public static Dictionary<string, StoredKey> Flatten(KeysResponse root)
    {
        var result = new Dictionary<string, StoredKey>(StringComparer.Ordinal);
        Visit(root.Node, result);
        return result;
    }

    private static void Visit(JsonElement node, Dictionary<string, StoredKey> result)
    {
        if (node.TryGetProperty("dir", out var dir) && dir.GetBoolean())
        {
            if (node.TryGetProperty("nodes", out var children))
            {
                foreach (var child in children.EnumerateArray())
                {
                    Visit(child, result);
                }
            }

            return;
        }

        var key = node.GetProperty("key").GetString()!;
        result[key] = new StoredKey(
            key,
            node.TryGetProperty("value", out var value) ? value.GetString() ?? string.Empty : string.Empty,
            node.GetProperty("modifiedIndex").GetInt64(),
            node.TryGetProperty("ttl", out var ttl) ? ttl.GetInt64() : null);
    }
}
