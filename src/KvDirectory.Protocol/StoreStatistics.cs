using System.Text.Json.Serialization;

namespace KvDirectory.Protocol;

/// <summary>The body of <c>/v2/stats/store</c>: operation counters since the node started, and live watchers.</summary>
public sealed record StoreStatistics
{
    [JsonPropertyName("getsSuccess")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long GetsSuccess { get; init; }
    [JsonPropertyName("getsFail")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long GetsFail { get; init; }
    [JsonPropertyName("setsSuccess")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long SetsSuccess { get; init; }
    [JsonPropertyName("setsFail")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long SetsFail { get; init; }
    [JsonPropertyName("deleteSuccess")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long DeleteSuccess { get; init; }
    [JsonPropertyName("deleteFail")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long DeleteFail { get; init; }
    [JsonPropertyName("updateSuccess")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long UpdateSuccess { get; init; }
    [JsonPropertyName("updateFail")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long UpdateFail { get; init; }
    [JsonPropertyName("createSuccess")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long CreateSuccess { get; init; }
    [JsonPropertyName("createFail")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long CreateFail { get; init; }
    [JsonPropertyName("compareAndSwapSuccess")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long CompareAndSwapSuccess { get; init; }
    [JsonPropertyName("compareAndSwapFail")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long CompareAndSwapFail { get; init; }
    [JsonPropertyName("compareAndDeleteSuccess")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long CompareAndDeleteSuccess { get; init; }
    [JsonPropertyName("compareAndDeleteFail")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long CompareAndDeleteFail { get; init; }
    [JsonPropertyName("expireCount")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long ExpireCount { get; init; }
    [JsonPropertyName("watchers")] [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long Watchers { get; init; }
}
