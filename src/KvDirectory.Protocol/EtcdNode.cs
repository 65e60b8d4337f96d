using System.Text.Json.Serialization;

namespace KvDirectory.Protocol;

/// <summary>
/// A key or directory as the v2 API shows it. Members that etcd omits when empty are
/// null/zero here and left out of the JSON (an empty directory has no <c>nodes</c> at all).
/// </summary>
public sealed record EtcdNode
{
    [JsonPropertyName("key")]
    public string? Key { get; init; }

    [JsonPropertyName("value")]
    public string? Value { get; init; }

    [JsonPropertyName("dir")]
    public bool Dir { get; init; }

    [JsonPropertyName("expiration")]
    [JsonConverter(typeof(GoTimeJsonConverter))]
    public DateTimeOffset? Expiration { get; init; }

    [JsonPropertyName("ttl")]
    public long Ttl { get; init; }

    [JsonPropertyName("nodes")]
    public IReadOnlyList<EtcdNode>? Nodes { get; init; }

    [JsonPropertyName("modifiedIndex")]
    public long ModifiedIndex { get; init; }

    [JsonPropertyName("createdIndex")]
    public long CreatedIndex { get; init; }
}
