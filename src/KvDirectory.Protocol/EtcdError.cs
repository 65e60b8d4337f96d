using System.Text.Json.Serialization;

namespace KvDirectory.Protocol;

/// <summary>The JSON body of every etcd v2 error answer.</summary>
public sealed record EtcdError
{
    [JsonPropertyName("errorCode")]
    public required int ErrorCode { get; init; }

    [JsonPropertyName("message")]
    public required string Message { get; init; }

    [JsonPropertyName("cause")]
    public string? Cause { get; init; }

    [JsonPropertyName("index")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long Index { get; init; }
}
