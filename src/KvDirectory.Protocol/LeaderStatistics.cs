using System.Text.Json.Serialization;

namespace KvDirectory.Protocol;

/// <summary>The body of <c>/v2/stats/leader</c> (served by the leader only).</summary>
public sealed record LeaderStatistics
{
    [JsonPropertyName("leader")] public required string Leader { get; init; }
    [JsonPropertyName("followers")] public required IReadOnlyDictionary<string, FollowerStatistics> Followers { get; init; }
}

public sealed record FollowerStatistics
{
    [JsonPropertyName("latency")] public required LatencyStatistics Latency { get; init; }
    [JsonPropertyName("counts")] public required CountStatistics Counts { get; init; }
}

/// <summary>Round-trip latency to a follower in milliseconds.</summary>
public sealed record LatencyStatistics
{
    [JsonPropertyName("current")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public double Current { get; init; }
    [JsonPropertyName("average")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public double Average { get; init; }
    [JsonPropertyName("standardDeviation")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public double StandardDeviation { get; init; }
    [JsonPropertyName("minimum")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public double Minimum { get; init; }
    [JsonPropertyName("maximum")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public double Maximum { get; init; }
}

public sealed record CountStatistics
{
    [JsonPropertyName("fail")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long Fail { get; init; }
    [JsonPropertyName("success")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long Success { get; init; }
}
