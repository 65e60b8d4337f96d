using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace KvDirectory.Benchmarks.Single;

/// <summary>
/// <c>--auth</c>: v2 authentication switched on the same way on either server through its HTTP API — a root user, a
/// role that may read and write <c>/bench*</c> (the benchmark's keys, its recursive directory and the watch key), a user
/// with that role, auth enabled, and the guest's default everything-allowed permissions revoked so a request without
/// valid credentials is refused. Every benchmark request then carries the user's Basic credentials.
/// </summary>
public static class BenchmarkAuth
{
    private const string RootPassword = "bench-root-password";

    /// <summary>The credentials every request of an auth variant carries.</summary>
    public static AuthenticationHeaderValue User { get; } = Basic("bench", "bench-user-password");

    private static AuthenticationHeaderValue Root { get; } = Basic("root", RootPassword);

    public static async Task EnableAsync(Uri clientUrl, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = clientUrl, Timeout = TimeSpan.FromSeconds(30) };
        await SendAsync(http, "/v2/auth/users/root", $$"""{"user":"root","password":"{{RootPassword}}"}""", null, cancellationToken);
        await SendAsync(http, "/v2/auth/roles/bench", """{"role":"bench","permissions":{"kv":{"read":["/bench*"],"write":["/bench*"]}}}""", null, cancellationToken);
        await SendAsync(http, "/v2/auth/users/bench", """{"user":"bench","password":"bench-user-password","roles":["bench"]}""", null, cancellationToken);
        await SendAsync(http, "/v2/auth/enable", null, null, cancellationToken);
        await SendAsync(http, "/v2/auth/roles/guest", """{"role":"guest","revoke":{"kv":{"read":["/*"],"write":["/*"]}}}""", Root, cancellationToken);

        // Proof the credentials are what lets the load in: refused without them, answered with them.
        using var anonymous = await http.GetAsync("/v2/keys/bench", cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/keys/bench");
        request.Headers.Authorization = User;
        using var signedIn = await http.SendAsync(request, cancellationToken);
        if (anonymous.StatusCode != HttpStatusCode.Unauthorized || signedIn.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NotFound))
        {
            throw new InvalidOperationException($"auth is not in force at {clientUrl}: GET /v2/keys/bench answered {anonymous.StatusCode} without credentials, {signedIn.StatusCode} with them");
        }
    }

    private static async Task SendAsync(HttpClient http, string path, string? json, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path);
        request.Headers.Authorization = authorization;
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
