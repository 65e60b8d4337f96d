using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KvDirectory.Testing;
using Microsoft.Playwright;

namespace KvDirectory.Explorer.Tests;

/// <summary>
/// A server with v2 auth enabled the way an operator does it, through the HTTP API: a root user, <c>PUT
/// /v2/auth/enable</c>, then the guest role cut down to reading <c>/public/*</c>. Each test makes its own users and
/// roles (<see cref="CreateUserAsync"/>) under its own prefixes. Its own Chromium; disposing kills both.
/// </summary>
public sealed class AuthExplorerFixture : IAsyncLifetime
{
    public const string RootPassword = "root-secret";

    private IPlaywright? _playwright;
    private ServerProcess? _server;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Requests as root (the administrator preparing and checking the store).</summary>
    public HttpClient Root { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Requests without credentials (the guest).</summary>
    public HttpClient Guest { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        _server = await ServerProcess.StartKvDirectoryAsync();
        Root.BaseAddress = Guest.BaseAddress = _server.ClientUrl;
        await SendAsync(HttpMethod.Put, "/v2/auth/users/root", new { user = "root", password = RootPassword });
        await SendAsync(HttpMethod.Put, "/v2/auth/enable", null);
        Root.DefaultRequestHeaders.Authorization = Basic("root", RootPassword);
        // Enabling made a guest that may do everything: it keeps reading /public only.
        await SendAsync(HttpMethod.Put, "/v2/auth/roles/guest", new { role = "guest", revoke = new { kv = new { read = new[] { "/*" }, write = new[] { "/*" } } } });
        await SendAsync(HttpMethod.Put, "/v2/auth/roles/guest", new { role = "guest", grant = new { kv = new { read = new[] { "/public/*" } } } });
        (await Guest.GetAsync("/v2/keys/private")).StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized, "the guest is restricted");

        _playwright = await Playwright.CreateAsync();
        Browser = await ExplorerFixture.LaunchAsync(_playwright);
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public string Url(string path) => new Uri(_server!.ClientUrl, path).ToString();

    public Task<IPage> NewPageAsync(int width = 1280, int height = 800) => ExplorerFixture.NewPageAsync(Browser, width, height, ColorScheme.Light);

    /// <summary>A role named after the user with these key patterns, and the user holding it.</summary>
    public async Task CreateUserAsync(string user, string password, string[] read, string[] write)
    {
        await SendAsync(HttpMethod.Put, $"/v2/auth/roles/{user}-role", new { role = $"{user}-role", permissions = new { kv = new { read, write } } });
        await SendAsync(HttpMethod.Put, $"/v2/auth/users/{user}", new { user, password });
        await SendAsync(HttpMethod.Put, $"/v2/auth/users/{user}", new { user, grant = new[] { $"{user}-role" } });
    }

    /// <summary>Takes write patterns back from a user's role (or the guest's) while a page is open.</summary>
    public Task RevokeWriteAsync(string role, params string[] write) =>
        SendAsync(HttpMethod.Put, $"/v2/auth/roles/{role}", new { role, revoke = new { kv = new { write } } });

    public Task GrantWriteAsync(string role, params string[] write) =>
        SendAsync(HttpMethod.Put, $"/v2/auth/roles/{role}", new { role, grant = new { kv = new { write } } });

    /// <summary>A write as root, as another client would make it.</summary>
    public async Task PutAsync(string key, string value)
    {
        using var response = await Root.PutAsync("/v2/keys" + key, new FormUrlEncodedContent([new("value", value)]));
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The key's value as root reads it (null when absent).</summary>
    public async Task<string?> ValueAsync(string key)
    {
        using var response = await Root.GetAsync("/v2/keys" + key);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("node").GetProperty("value").GetString();
    }

    private async Task SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await Root.SendAsync(request);
        response.IsSuccessStatusCode.Should().BeTrue($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Root.Dispose();
        Guest.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class AuthExplorerCollection : ICollectionFixture<AuthExplorerFixture>
{
    public const string Name = "explorer-auth";
}
