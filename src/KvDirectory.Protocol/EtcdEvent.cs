using System.Text.Json.Serialization;

namespace KvDirectory.Protocol;

/// <summary>The answer to every successful keys request and every watch: an action and the node(s) it touched.</summary>
public sealed record EtcdEvent
{
    [JsonPropertyName("action")]
    public required string Action { get; init; }

    [JsonPropertyName("node")]
    public EtcdNode? Node { get; init; }

    [JsonPropertyName("prevNode")]
    public EtcdNode? PrevNode { get; init; }

    /// <summary>The etcd index the answer is valid at (the <c>X-Etcd-Index</c> header), not part of the JSON.</summary>
    [JsonIgnore]
    public long EtcdIndex { get; init; }

    /// <summary>True for a TTL refresh: watchers never see such an event.</summary>
    [JsonIgnore]
    public bool Refresh { get; init; }
}
