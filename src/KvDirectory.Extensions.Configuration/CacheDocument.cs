using System.Text.Json.Serialization;
using KvDirectory.Protocol.Configuration;

namespace KvDirectory.Extensions.Configuration;

/// <summary>
/// The last-known-good cache file: the values, the etcd index they reflect, when they were saved, and a SHA-256 of
/// the values as written (a torn or edited file is refused rather than half-trusted).
/// </summary>
internal sealed record CacheDocument
{
    [JsonPropertyName("format")]
    public int Format { get; init; } = 1;

    [JsonPropertyName("prefix")]
    public required string Prefix { get; init; }

    [JsonPropertyName("etcdIndex")]
    public long EtcdIndex { get; init; }

    [JsonPropertyName("savedAt")]
    public DateTimeOffset SavedAt { get; init; }

    [JsonPropertyName("checksum")]
    public string Checksum { get; init; } = "";

    [JsonPropertyName("values")]
    public IReadOnlyList<ConfigurationValue> Values { get; init; } = [];
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(CacheDocument))]
[JsonSerializable(typeof(IReadOnlyList<ConfigurationValue>))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
