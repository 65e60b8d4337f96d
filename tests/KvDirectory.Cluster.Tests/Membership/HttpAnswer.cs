using System.Net;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>A whole HTTP answer read eagerly (status, body text, content type), so assertions can quote it.</summary>
public sealed record HttpAnswer(HttpStatusCode Status, string Body, string? ContentType)
{
    /// <summary>The request was sent and no answer came back (status 0): the member asked stopped, or the wait ran out.</summary>
    public static readonly HttpAnswer Unanswered = new(0, string.Empty, null);

    public static async Task<HttpAnswer> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);

    public override string ToString() => this == Unanswered ? "no answer" : $"{(int)Status} {Status} [{ContentType}] {Body}";
}
