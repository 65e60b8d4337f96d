using System.Net.Http.Headers;
using System.Text;
using KvDirectory.Compatibility.Tests.Harness;

namespace KvDirectory.Compatibility.Tests.Auth;

/// <summary>
/// One request of an auth scenario: the request as a scenario step, sent as a given requester. <see cref="Authorization"/>
/// is the raw header value (null: none), so malformed headers are steps like any other.
/// </summary>
public sealed record AuthStep(string Requester, string? Authorization, string Method, string PathAndQuery, string? Body, string? ContentType, CompareMode Mode)
{
    public const string JsonType = "application/json";

    public override string ToString() => $"[{Requester}] {Method} {PathAndQuery}{(Body is null ? "" : " " + Body)}";

    public static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    public async Task<HttpSnapshot> SendAsync(Uri server)
    {
        using var request = RawHttp.Request(server, Method, PathAndQuery, Body, ContentType);
        if (Authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        }

        try
        {
            using var response = await RawHttp.Shared.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            return await RawHttp.SnapshotAsync(response);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new HttpSnapshot(0, new Dictionary<string, string>(), $"transport error: {e.GetType().Name}: {e.Message}");
        }
    }
}

/// <summary>Who sends a step: a name for the report and the Authorization header it sends.</summary>
public sealed record Requester(string Name, string? Authorization)
{
    public static Requester Anonymous { get; } = new("no credentials", null);

    public static Requester As(string user, string password) => new($"{user}:{password}", AuthStep.Basic(user, password));

    public AuthStep Get(string path, CompareMode mode = CompareMode.Exact) => new(Name, Authorization, "GET", path, null, null, mode);

    public AuthStep Form(string method, string path, string? form = null) => new(Name, Authorization, method, path, form, form is null ? null : RawHttp.FormContentType, CompareMode.Exact);

    public AuthStep Json(string method, string path, string? json = null) => new(Name, Authorization, method, path, json, json is null ? null : AuthStep.JsonType, CompareMode.Exact);
}
