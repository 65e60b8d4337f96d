using System.Text.Json;

namespace KvDirectory.Protocol.Configuration;

/// <summary>
/// How a key space becomes .NET configuration: <c>/config/myapp/Logging/LogLevel/Default</c> under the prefix
/// <c>/config/myapp</c> is <c>Logging:LogLevel:Default</c>. The configuration provider loads with it and the explorer's
/// preview shows with it, so both always agree. Pure: a tree in, a sorted list out.
/// </summary>
public static class ConfigurationKeyMapper
{
    /// <summary>
    /// Flattens a recursive listing of <paramref name="prefix"/> (the node a recursive GET of the prefix answers) into
    /// configuration values, sorted by path. Hidden keys never appear (a listing leaves them out, and a hidden segment is
    /// skipped here too); empty directories give nothing. When two keys differ only in case, the one sorting last
    /// ordinally wins, as configuration keys are case-insensitive.
    /// </summary>
    public static IReadOnlyList<ConfigurationValue> Map(string prefix, EtcdNode? root, ConfigurationMappingOptions options)
    {
        var values = new SortedDictionary<string, ConfigurationValue>(StringComparer.OrdinalIgnoreCase);
        if (root is not null)
        {
            Visit(NormalisePrefix(prefix), root, options, values);
        }

        return [.. values.Values];
    }

    /// <summary>The configuration path of a store key under a prefix, or null when it is not beneath it or is hidden.</summary>
    public static string? ToConfigurationPath(string prefix, string storeKey)
    {
        var normalised = NormalisePrefix(prefix);
        if (!storeKey.StartsWith(normalised, StringComparison.Ordinal))
        {
            return null;
        }

        var segments = storeKey[normalised.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(segment => segment.StartsWith('_')))
        {
            return null;
        }

        return string.Join(':', segments);
    }

    private static void Visit(string prefix, EtcdNode node, ConfigurationMappingOptions options, SortedDictionary<string, ConfigurationValue> values)
    {
        if (node.Dir)
        {
            foreach (var child in node.Nodes ?? [])
            {
                Visit(prefix, child, options, values);
            }

            return;
        }

        if (node.Key is null || ToConfigurationPath(prefix, node.Key) is not { } path)
        {
            return;
        }

        if (options.ShouldExpand(path) && TryParseContainer(node.Value, out var json))
        {
            using (json)
            {
                Flatten(path, json.RootElement, node, values);
            }

            return;
        }

        values[path] = new ConfigurationValue(path, node.Value, node.Key, node.ModifiedIndex);
    }

    private static bool TryParseContainer(string? value, out JsonDocument document)
    {
        document = null!;
        var trimmed = value.AsSpan().TrimStart();
        if (trimmed.IsEmpty || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return false;
        }

        try
        {
            document = JsonDocument.Parse(value!);
            return true;
        }
        catch (JsonException)
        {
            // Not JSON after all: the value stays one string, as stored.
            return false;
        }
    }

    /// <summary>Objects and arrays become sections (array items by position), as .NET's JSON configuration file does.</summary>
    private static void Flatten(string path, JsonElement element, EtcdNode source, SortedDictionary<string, ConfigurationValue> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var anyProperty = false;
                foreach (var property in element.EnumerateObject())
                {
                    anyProperty = true;
                    Flatten(path + ":" + property.Name, property.Value, source, values);
                }

                if (!anyProperty)
                {
                    values[path] = new ConfigurationValue(path, null, source.Key!, source.ModifiedIndex);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(path + ":" + index++, item, source, values);
                }

                if (index == 0)
                {
                    values[path] = new ConfigurationValue(path, null, source.Key!, source.ModifiedIndex);
                }

                break;
            default:
                values[path] = new ConfigurationValue(path, ScalarText(element), source.Key!, source.ModifiedIndex);
                break;
        }
    }

    /// <summary>A string as its text, null as empty, numbers and booleans as written.</summary>
    private static string? ScalarText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null => "",
        _ => element.GetRawText(),
    };

    private static string NormalisePrefix(string prefix)
    {
        var trimmed = "/" + prefix.Trim('/');
        return trimmed == "/" ? "/" : trimmed + "/";
    }
}

/// <summary>One configuration value and the store key (and its <c>modifiedIndex</c>) it came from.</summary>
public sealed record ConfigurationValue(string Path, string? Value, string StoreKey, long ModifiedIndex);

/// <summary>Which values are read as JSON and expanded into sections; nothing is, unless asked.</summary>
public sealed record ConfigurationMappingOptions
{
    /// <summary>Expand every value that is a JSON object or array.</summary>
    public bool ExpandJson { get; init; }

    /// <summary>Expand only values at or beneath these configuration paths (<c>Features</c>, <c>Features:Flags</c>).</summary>
    public IReadOnlyList<string> ExpandJsonUnder { get; init; } = [];

    public bool ShouldExpand(string path) =>
        ExpandJson || ExpandJsonUnder.Any(section =>
            path.Equals(section, StringComparison.OrdinalIgnoreCase) ||
            path.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase));
}
