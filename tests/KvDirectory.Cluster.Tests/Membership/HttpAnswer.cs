using System.Net;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>A whole HTTP answer read eagerly (status, body text, content type), so assertions can quote it.</summary>
public sealed record HttpAnswer(HttpStatusCode Status, string Body, string? ContentType)
{
    public static async Task<HttpAnswer> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);

    public override string ToString() => $"{(int)Status} {Status} [{ContentType}] {Body}";
}
