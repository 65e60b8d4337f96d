using System.Text.Json.Serialization;

namespace KvDirectory.Protocol;

/// <summary>The body of <c>GET /v2/admin/digest</c>: a member's store index and the SHA-256 of its whole tree at that index.</summary>
public sealed record StoreDigest
{
    [JsonPropertyName("index")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long Index { get; init; }

    [JsonPropertyName("sha256")]
    public string Sha256 { get; init; } = string.Empty;
}
