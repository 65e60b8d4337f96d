using System.Text.Json.Serialization;

namespace KvDirectory.Protocol;

/// <summary>
/// Source-generated serialisation for every wire type. Defaults are omitted, matching Go's
/// <c>omitempty</c>; members that etcd always writes opt out with <c>JsonIgnoreCondition.Never</c>.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(EtcdEvent))]
[JsonSerializable(typeof(EtcdNode))]
[JsonSerializable(typeof(EtcdError))]
[JsonSerializable(typeof(StoreStatistics))]
[JsonSerializable(typeof(ServerStatistics))]
[JsonSerializable(typeof(LeaderStatistics))]
[JsonSerializable(typeof(MemberCollection))]
[JsonSerializable(typeof(StoreDigest))]
[JsonSerializable(typeof(Member))]
[JsonSerializable(typeof(MemberCreateRequest))]
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(HealthStatus))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
