using System.Text.Json.Serialization;

namespace KvDirectory.Protocol;

/// <summary>The body of <c>/version</c>; we report the etcd version whose API we speak.</summary>
public sealed record VersionInfo
{
    [JsonPropertyName("etcdserver")] public required string Server { get; init; }
    [JsonPropertyName("etcdcluster")] public required string Cluster { get; init; }
}

/// <summary>The body of <c>/health</c>: "true" or "false" as a string, as etcd writes it.</summary>
public sealed record HealthStatus
{
    [JsonPropertyName("health")] public required string Health { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
}
