using System.Text.Json;
using System.Text.Json.Serialization;

namespace KvDirectory.Protocol;

/// <summary>
/// Source-generated serialisation for every wire type. Defaults are omitted, matching Go's
/// <c>omitempty</c>; members that etcd always writes opt out with <c>JsonIgnoreCondition.Never</c>.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault, MaxDepth = JsonDepth.Max)]
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
public sealed partial class ProtocolJsonContext : JsonSerializerContext
{
    /// <summary>
    /// <see cref="Default"/>'s options plus <see cref="GoJsonEncoder"/>: for <c>JsonSerializer.Serialize</c> to a string or
    /// a stream, which creates its own writer from these options, so strings are escaped as etcd's Go encoding/json
    /// escapes them. Its type infos do not take the source-generated fast path (System.Text.Json uses it only with the
    /// default encoder): on a hot path, serialise <see cref="Default"/>'s type info into a <see cref="Utf8JsonWriter"/>
    /// created with <see cref="GoJsonEncoder.WriterOptions"/> instead — string values are escaped by the writer's encoder
    /// on the fast path too (as <c>EtcdResponses</c> does for every answer).
    /// </summary>
    public static ProtocolJsonContext Go => GoHolder.Instance;

    /// <summary>Built on first use, once <see cref="Default"/> exists (static initialisers of partial files run in no fixed order).</summary>
    private static class GoHolder
    {
        public static readonly ProtocolJsonContext Instance = new(WithGoEncoder(Default.Options));

        private static JsonSerializerOptions WithGoEncoder(JsonSerializerOptions defaults) =>
            new(defaults) { Encoder = GoJsonEncoder.Instance, TypeInfoResolver = null };
    }
}
