using System.Text.Json.Nodes;

namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>The parts of an answer that must be equal between etcd and the candidate, already normalised.</summary>
/// <param name="NonGoStrings">JSON string tokens not escaped as Go escapes them (<see cref="GoEscaping"/>); empty for etcd.</param>
public sealed record NormalisedResponse(int Status, IReadOnlyDictionary<string, string> Headers, JsonNode? Json, string? Text)
{
    public IReadOnlyList<string> NonGoStrings { get; init; } = [];
}
