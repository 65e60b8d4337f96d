using System.Text.Json.Serialization;
using KvDirectory.Protocol.Configuration;
using KvDirectory.Store.Browsing;

namespace KvDirectory.Server.Explorer;

/// <summary>What the explorer page reads about the server it runs on.</summary>
public sealed record ExplorerInfo(bool ReadOnly, string Name, long EtcdIndex);

/// <summary>One line of a streamed search answer: the matches found since the last line.</summary>
/// <summary>
/// One line of a search's answer. <paramref name="Restricted"/>: only keys the requester may read were kept, and
/// <paramref name="Visited"/> is then 0 (the walk's size would tell how much else there is).
/// </summary>
public sealed record SearchLine(IReadOnlyList<BrowseEntry> Matches, bool Done, bool Truncated, int Visited, bool Restricted);

/// <summary>Who the page's requests are (<c>User</c> null: the guest) and the key patterns they may read and write.</summary>
public sealed record SessionView(bool AuthEnabled, string? User, bool Root, IReadOnlyList<string> Read, IReadOnlyList<string> Write);

/// <summary>A prefix as the .NET configuration provider would read it.</summary>
public sealed record ConfigurationPreview(string Prefix, IReadOnlyList<ConfigurationValue> Values, long EtcdIndex);

/// <summary>An import's dry run with its totals, as the page shows it.</summary>
public sealed record ImportPlanView(IReadOnlyList<ImportItem> Items, int Added, int Changed, int Unchanged, int Conflicting, long EtcdIndex);

/// <summary>The explorer API's JSON: camelCase, defaults written (the page reads zero counts), enums by name.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ExplorerInfo))]
[JsonSerializable(typeof(DirectoryPage))]
[JsonSerializable(typeof(SubtreeSize))]
[JsonSerializable(typeof(KeyHistory))]
[JsonSerializable(typeof(SearchLine))]
[JsonSerializable(typeof(ConfigurationPreview))]
[JsonSerializable(typeof(ImportPlanView))]
[JsonSerializable(typeof(SessionView))]
public sealed partial class ExplorerJsonContext : JsonSerializerContext;
