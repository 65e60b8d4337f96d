using System.Text.Json.Serialization;

namespace KvDirectory.Protocol;

/// <summary>A cluster member as <c>/v2/members</c> shows it; the id is 16 lowercase hex digits.</summary>
public sealed record Member
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("name")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public required string Name { get; init; }
    [JsonPropertyName("peerURLs")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public required IReadOnlyList<string> PeerUrls { get; init; }
    [JsonPropertyName("clientURLs")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public required IReadOnlyList<string> ClientUrls { get; init; }
}

/// <summary>The body of <c>GET /v2/members</c>.</summary>
public sealed record MemberCollection
{
    [JsonPropertyName("members")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public required IReadOnlyList<Member> Members { get; init; }
}

/// <summary>The body of <c>POST /v2/members</c> and <c>PUT /v2/members/{id}</c>.</summary>
public sealed record MemberCreateRequest
{
    [JsonPropertyName("peerURLs")] public IReadOnlyList<string>? PeerUrls { get; init; }
}
