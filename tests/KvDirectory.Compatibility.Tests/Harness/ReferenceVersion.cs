using System.Text.Json;

namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>
/// The differential suite promises etcd 3.4's answers: a reference of another release (3.5 dropped most of v2, 3.3
/// differs in details) would make every comparison prove something else, so the pair refuses to start against it.
/// </summary>
public static class ReferenceVersion
{
    public const string Required = "3.4.";

    /// <summary>The reference's <c>etcdserver</c> version from its <c>GET /version</c> body; throws unless it is 3.4.x.</summary>
    public static string Require(string versionBody)
    {
        string? server;
        try
        {
            using var document = JsonDocument.Parse(versionBody);
            server = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("etcdserver", out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : null;
        }
        catch (JsonException)
        {
            server = null;
        }

        if (server is null || !server.StartsWith(Required, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the reference must be etcd {Required}x, but /version answered {versionBody}");
        }

        return server;
    }
}
