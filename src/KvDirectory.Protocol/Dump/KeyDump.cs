using System.Text.Json.Serialization;

namespace KvDirectory.Protocol.Dump;

/// <summary>
/// A subtree written out as JSON: what <c>kvctl export</c> writes, <c>kvctl import</c> reads, and the explorer exports
/// and imports. Keys are absolute; every directory is listed (so empty ones survive) and comes before its children.
/// Hidden keys (a leading <c>_</c>) are included. Values are the stored strings, never reformatted.
/// </summary>
public sealed record KeyDump
{
    /// <summary>Always <see cref="FormatName"/>; a reader refuses anything else.</summary>
    [JsonPropertyName("format")]
    public string Format { get; init; } = FormatName;

    /// <summary>Bumped only for a change an older reader would misread.</summary>
    [JsonPropertyName("version")]
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The directory the dump was taken from (<c>/</c> for everything).</summary>
    [JsonPropertyName("prefix")]
    public required string Prefix { get; init; }

    /// <summary>The source's <c>X-Etcd-Index</c> when it was read: a follower resumes watching after it.</summary>
    [JsonPropertyName("etcdIndex")]
    public long EtcdIndex { get; init; }

    [JsonPropertyName("exportedAt")]
    [JsonConverter(typeof(GoTimeJsonConverter))]
    public DateTimeOffset? ExportedAt { get; init; }

    /// <summary>Where it was read from (an endpoint URL), for people; readers ignore it.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; init; }

    [JsonPropertyName("nodes")]
    public required IReadOnlyList<KeyDumpEntry> Nodes { get; init; }

    public const string FormatName = "kvdirectory-dump";
    public const int CurrentVersion = 1;
}

/// <summary>One key or directory of a <see cref="KeyDump"/>.</summary>
public sealed record KeyDumpEntry
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("dir")]
    public bool Dir { get; init; }

    /// <summary>The stored value; absent for a directory.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; init; }

    /// <summary>Seconds left to live when dumped; absent (0) for a permanent key.</summary>
    [JsonPropertyName("ttl")]
    public long Ttl { get; init; }

    /// <summary>The source's indexes, for information and conflict detection; an import does not reproduce them.</summary>
    [JsonPropertyName("createdIndex")]
    public long CreatedIndex { get; init; }

    [JsonPropertyName("modifiedIndex")]
    public long ModifiedIndex { get; init; }
}

/// <summary>Source-generated JSON for <see cref="KeyDump"/>: indented, defaults omitted.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault, WriteIndented = true, MaxDepth = JsonDepth.Max)]
[JsonSerializable(typeof(KeyDump))]
public sealed partial class KeyDumpJsonContext : JsonSerializerContext;
