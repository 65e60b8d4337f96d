using System.Text.Json.Serialization;

namespace KvDirectory.Protocol;

/// <summary>The body of <c>/v2/stats/self</c>. python-etcd finds the leader through <c>leaderInfo.leader</c>.</summary>
public sealed record ServerStatistics
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>"StateLeader", "StateFollower", "StateCandidate" or "StatePreCandidate", as etcd spells them.</summary>
    [JsonPropertyName("state")] public required string State { get; init; }
    [JsonPropertyName("startTime")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] [JsonConverter(typeof(GoTimeJsonConverter))] public DateTimeOffset? StartTime { get; init; }
    [JsonPropertyName("leaderInfo")] public required LeaderInfo LeaderInfo { get; init; }
    [JsonPropertyName("recvAppendRequestCnt")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long ReceivedAppendRequests { get; init; }
    [JsonPropertyName("recvPkgRate")] public double ReceivedPackageRate { get; init; }
    [JsonPropertyName("recvBandwidthRate")] public double ReceivedBandwidthRate { get; init; }
    [JsonPropertyName("sendAppendRequestCnt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long SentAppendRequests { get; init; }
    [JsonPropertyName("sendPkgRate")] public double SentPackageRate { get; init; }
    [JsonPropertyName("sendBandwidthRate")] public double SentBandwidthRate { get; init; }
}

public sealed record LeaderInfo
{
    [JsonPropertyName("leader")] public required string Leader { get; init; }
    /// <summary>Go's duration text, e.g. "1m2.5s".</summary>
    [JsonPropertyName("uptime")] public required string Uptime { get; init; }
    [JsonPropertyName("startTime")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] [JsonConverter(typeof(GoTimeJsonConverter))] public DateTimeOffset? StartTime { get; init; }
}
