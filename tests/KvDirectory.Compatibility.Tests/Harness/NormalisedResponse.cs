using System.Text.Json.Nodes;

namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>The parts of an answer that must be equal between etcd and the candidate, already normalised.</summary>
public sealed record NormalisedResponse(int Status, IReadOnlyDictionary<string, string> Headers, JsonNode? Json, string? Text);
