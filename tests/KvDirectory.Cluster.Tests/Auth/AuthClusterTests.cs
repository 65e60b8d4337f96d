using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace KvDirectory.Cluster.Tests.Auth;

/// <summary>
/// v2 auth is replicated state: users, roles and the enabled flag written on one member are enforced by every member,
/// identically (equal store digests, which cover the auth namespace), and still after every member restarted — from
/// a snapshot too (a small <c>--snapshot-count</c> puts the auth writes inside one).
/// </summary>
public sealed class AuthClusterTests
{
    private static readonly AuthenticationHeaderValue Root = Basic("root", "rootpw");
    private static readonly AuthenticationHeaderValue Reader = Basic("reader", "r1");

    [Fact]
    public async Task Auth_enabled_on_one_member_is_enforced_by_all_and_survives_restarts_and_snapshots()
    {
        await using var cluster = await ThreeNodeCluster.StartAsync("--snapshot-count", "20");
        var leader = await cluster.WaitForLeaderAsync();
        var follower = cluster.Members.First(m => m != leader);

        // Everything through one follower: its writes are forwarded, applied by all.
        (await SendAsync(cluster, follower, "PUT", "/v2/keys/data/pub", null, form: "value=1")).Should().Be(HttpStatusCode.Created);
        (await SendAsync(cluster, follower, "PUT", "/v2/keys/data/secret", null, form: "value=2")).Should().Be(HttpStatusCode.Created);
        (await SendAsync(cluster, follower, "PUT", "/v2/auth/users/root", null, json: """{"user":"root","password":"rootpw"}""")).Should().Be(HttpStatusCode.Created);
        (await SendAsync(cluster, follower, "PUT", "/v2/auth/roles/pub", null, json: """{"role":"pub","permissions":{"kv":{"read":["/data/pub"]}}}""")).Should().Be(HttpStatusCode.Created);
        (await SendAsync(cluster, follower, "PUT", "/v2/auth/users/reader", null, json: """{"user":"reader","password":"r1","roles":["pub"]}""")).Should().Be(HttpStatusCode.OK);
        (await SendAsync(cluster, follower, "PUT", "/v2/auth/enable", null)).Should().Be(HttpStatusCode.OK);
        (await SendAsync(cluster, follower, "PUT", "/v2/auth/roles/guest", Root, json: """{"role":"guest","revoke":{"kv":{"read":["/*"],"write":["/*"]}}}""")).Should().Be(HttpStatusCode.OK);

        // Enough further writes for a snapshot that holds the auth namespace.
        for (var i = 0; i < 30; i++)
        {
            (await SendAsync(cluster, leader, "PUT", $"/v2/keys/data/fill{i}", Root, form: "value=x")).Should().Be(HttpStatusCode.Created);
        }

        await EveryMemberEnforcesAsync(cluster);
        await SameDigestEverywhereAsync(cluster);
        await cluster.PollAsync("a snapshot holding the auth writes", () =>
            Task.FromResult(cluster.Output.Contains("Snapshot saved at index", StringComparison.Ordinal)));

        foreach (var member in cluster.Members)
        {
            await member.TerminateAsync(TimeSpan.FromSeconds(30));
        }

        foreach (var member in cluster.Members)
        {
            cluster.Launch(member);
        }

        foreach (var member in cluster.Members)
        {
            await cluster.WaitUntilHealthyAsync(member);
        }

        await cluster.WaitForLeaderAsync();
        await EveryMemberEnforcesAsync(cluster);
        await SameDigestEverywhereAsync(cluster);
        cluster.Output.Should().MatchRegex("started: snapshot at [1-9]", "the restarted members begin from their snapshots");
    }

    private static async Task EveryMemberEnforcesAsync(ThreeNodeCluster cluster)
    {
        foreach (var member in cluster.Members)
        {
            // A follower may apply the last writes a moment after the leader answered: wait for the enabled flag.
            await cluster.PollAsync($"auth enabled on {member.Name}", async () =>
                (await cluster.Http.GetStringAsync(new Uri(member.ClientUrl, "/v2/auth/enable"))).Contains("true", StringComparison.Ordinal));

            (await SendAsync(cluster, member, "GET", "/v2/keys/data/pub", null)).Should().Be(HttpStatusCode.Unauthorized, member.Name);
            (await SendAsync(cluster, member, "GET", "/v2/keys/data/pub", Reader)).Should().Be(HttpStatusCode.OK, member.Name);
            (await SendAsync(cluster, member, "GET", "/v2/keys/data/secret", Reader)).Should().Be(HttpStatusCode.Unauthorized, member.Name);
            (await SendAsync(cluster, member, "GET", "/v2/keys/data/secret", Root)).Should().Be(HttpStatusCode.OK, member.Name);
            (await SendAsync(cluster, member, "PUT", "/v2/keys/data/pub", Reader, form: "value=hacked")).Should().Be(HttpStatusCode.Unauthorized, member.Name);
            (await SendAsync(cluster, member, "GET", "/v2/auth/users", Reader)).Should().Be(HttpStatusCode.Unauthorized, member.Name);
            (await SendAsync(cluster, member, "GET", "/v2/auth/users", Root)).Should().Be(HttpStatusCode.OK, member.Name);
            (await SendAsync(cluster, member, "GET", "/v2/keys/data/pub", Basic("reader", "wrong"))).Should().Be(HttpStatusCode.Unauthorized, member.Name);
        }
    }

    private static async Task SameDigestEverywhereAsync(ThreeNodeCluster cluster)
    {
        await cluster.PollAsync("equal digests", async () =>
        {
            var digests = await Task.WhenAll(cluster.Members.Select(cluster.DigestAsync));
            return digests.Distinct().Count() == 1;
        });
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    private static async Task<HttpStatusCode> SendAsync(ThreeNodeCluster cluster, ThreeNodeMember member, string method, string path, AuthenticationHeaderValue? credentials, string? form = null, string? json = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(member.ClientUrl, path));
        request.Headers.Authorization = credentials;
        if (form is not null)
        {
            request.Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        }
        else if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await cluster.Http.SendAsync(request);
        return response.StatusCode;
    }
}
