using KvDirectory.Compatibility.Tests.Harness;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>
/// One HTTP request of a scenario. <see cref="PathAndQuery"/> and <see cref="Body"/> are templates:
/// {p} is the scenario's own key prefix, {i+N} the N-th index after the scenario started, {k+N} its 20-digit in-order name.
/// </summary>
public sealed record Step(string Method, string PathAndQuery, string? Body = null, string? ContentType = RawHttp.FormContentType, CompareMode Mode = CompareMode.Exact)
{
    /// <summary>Only sorted listings have an order both servers must agree on.</summary>
    public bool KeepsListingOrder => PathAndQuery.Contains("sorted=true", StringComparison.Ordinal);

    public override string ToString() =>
        $"{Method} {PathAndQuery}" + (Body is null ? "" : $"  body[{ContentType ?? "no content type"}]: {Body}") + (Mode == CompareMode.Exact ? "" : $"  ({Mode})");
}
