using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace KvDirectory.Fuzz.Tests.Auth;

/// <summary>
/// Turns auth on the way an operator does, through <c>/v2/auth</c>: root, a writer on some fuzzed prefixes, a reader of
/// everything, a guest cut down to reading <c>/a</c> and writing <c>/c</c>. Afterwards it says whether all of it is
/// still as made (the run must neither lock itself out nor let a refused request change the setup).
/// </summary>
public static class AuthSetup
{
    public static AuthenticationHeaderValue RootHeader { get; } = AuthenticationHeaderValue.Parse(AuthVocabulary.RootAuthorization);

    /// <summary>Makes the users and roles and enables auth; <paramref name="client"/> has no credentials of its own.</summary>
    public static async Task ApplyAsync(HttpClient client)
    {
        await SendAsync(client, HttpMethod.Put, "/v2/auth/users/root", new { user = AuthVocabulary.Root, password = AuthVocabulary.RootPassword }, root: false);
        await SendAsync(client, HttpMethod.Put, "/v2/auth/enable", null, root: false);
        await SendAsync(client, HttpMethod.Put, "/v2/auth/roles/writer-role", new { role = "writer-role", permissions = new { kv = new { read = AuthVocabulary.WriterKeys, write = AuthVocabulary.WriterKeys } } });
        await SendAsync(client, HttpMethod.Put, "/v2/auth/roles/reader-role", new { role = "reader-role", permissions = new { kv = new { read = new[] { "/*" }, write = Array.Empty<string>() } } });
        await SendAsync(client, HttpMethod.Put, "/v2/auth/users/writer", new { user = AuthVocabulary.Writer, password = AuthVocabulary.WriterPassword });
        await SendAsync(client, HttpMethod.Put, "/v2/auth/users/writer", new { user = AuthVocabulary.Writer, grant = new[] { "writer-role" } });
        await SendAsync(client, HttpMethod.Put, "/v2/auth/users/reader", new { user = AuthVocabulary.Reader, password = AuthVocabulary.ReaderPassword });
        await SendAsync(client, HttpMethod.Put, "/v2/auth/users/reader", new { user = AuthVocabulary.Reader, grant = new[] { "reader-role" } });
        // Enabling gave the guest everything; it keeps only its own corners.
        await SendAsync(client, HttpMethod.Put, "/v2/auth/roles/guest", new { role = "guest", revoke = new { kv = new { read = new[] { "/*" }, write = new[] { "/*" } } } });
        await SendAsync(client, HttpMethod.Put, "/v2/auth/roles/guest", new { role = "guest", grant = new { kv = new { read = AuthVocabulary.GuestRead, write = AuthVocabulary.GuestWrite } } });
    }

    /// <summary>What differs from the setup <see cref="ApplyAsync"/> made, read as root; empty when intact.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(HttpClient client)
    {
        var problems = new List<string>();
        var enabled = await GetAsync(client, "/v2/auth/enable");
        if (enabled?.GetProperty("enabled").GetBoolean() != true)
        {
            problems.Add("auth is no longer enabled (or root is locked out): " + enabled);
        }

        await ExpectRolesAsync(client, problems, AuthVocabulary.Writer, "writer-role");
        await ExpectRolesAsync(client, problems, AuthVocabulary.Reader, "reader-role");
        await ExpectPermissionsAsync(client, problems, "writer-role", AuthVocabulary.WriterKeys, AuthVocabulary.WriterKeys);
        await ExpectPermissionsAsync(client, problems, "reader-role", ["/*"], []);
        await ExpectPermissionsAsync(client, problems, "guest", AuthVocabulary.GuestRead, AuthVocabulary.GuestWrite);
        return problems;
    }

    private static async Task ExpectRolesAsync(HttpClient client, List<string> problems, string user, string role)
    {
        var body = await GetAsync(client, "/v2/auth/users/" + user);
        var roles = body?.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("role").GetString()).ToArray();
        if (roles is null || !roles.SequenceEqual([role]))
        {
            problems.Add($"user {user}: {body}");
        }
    }

    private static async Task ExpectPermissionsAsync(HttpClient client, List<string> problems, string role, string[] read, string[] write)
    {
        var body = await GetAsync(client, "/v2/auth/roles/" + role);
        var kv = body?.GetProperty("permissions").GetProperty("kv");
        if (kv is null || !Patterns(kv.Value, "read").SequenceEqual(read.Order()) || !Patterns(kv.Value, "write").SequenceEqual(write.Order()))
        {
            problems.Add($"role {role}: {body}");
        }
    }

    private static IEnumerable<string> Patterns(JsonElement kv, string name) =>
        kv.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().Select(p => p.GetString()!).Order() : [];

    private static async Task<JsonElement?> GetAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = RootHeader;
        using var response = await client.SendAsync(request);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    private static async Task SendAsync(HttpClient client, HttpMethod method, string path, object? body, bool root = true)
    {
        using var request = new HttpRequestMessage(method, path);
        if (root)
        {
            request.Headers.Authorization = RootHeader;
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request);
        response.IsSuccessStatusCode.Should().BeTrue($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
