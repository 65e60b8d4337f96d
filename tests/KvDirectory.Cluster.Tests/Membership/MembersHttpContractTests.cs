using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// The status codes and bodies of <c>POST/PUT/DELETE /v2/members</c> exactly as etcd 3.4's v2 membersHandler answers
/// them (etcdserver/api/v2http/client.go); bodies are compared byte for byte wherever etcd's are deterministic.
/// </summary>
public abstract class MembersHttpContractTests(ITestOutputHelper output)
{
    private const string InternalServerError = "{\"message\":\"Internal Server Error\"}";

    protected abstract Server Server { get; }

    [Theory]
    [InlineData("text/plain", "text/plain")]
    [InlineData("application/x-www-form-urlencoded", "application/x-www-form-urlencoded")]
    public async Task Post_with_a_content_type_other_than_json_is_415_and_adds_nothing(string mediaType, string quoted)
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);
        var member = cluster.Members[0];

        var answer = await cluster.SendMembersAsync(HttpMethod.Post, member, string.Empty,
            new StringContent(PeerUrlsJson(NewPeerUrl()), Encoding.UTF8, mediaType));

        answer.Status.Should().Be(HttpStatusCode.UnsupportedMediaType, answer.ToString());
        answer.ContentType.Should().Be("application/json");
        answer.Body.Should().Be($"{{\"message\":\"Bad Content-Type {quoted}, accept application/json\"}}");
        (await cluster.ListMembersAsync(member)).Members.Should().HaveCount(1);
    }

    [Fact]
    public async Task Post_with_malformed_json_is_400_with_a_message()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);
        var member = cluster.Members[0];

        var answer = await cluster.SendMembersAsync(HttpMethod.Post, member, string.Empty,
            new StringContent("{\"peerURLs\":", Encoding.UTF8, "application/json"));

        // etcd's message is Go's JSON error text ("unexpected end of JSON input"): only the shape is etcd's contract.
        answer.Status.Should().Be(HttpStatusCode.BadRequest, answer.ToString());
        answer.ContentType.Should().Be("application/json");
        using var body = JsonDocument.Parse(answer.Body);
        body.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("message");
        body.RootElement.GetProperty("message").GetString().Should().NotBeNullOrEmpty();
        (await cluster.ListMembersAsync(member)).Members.Should().HaveCount(1);
    }

    [Theory]
    [InlineData("{}", "no valid URLs given")]
    [InlineData("{\"peerURLs\":[]}", "no valid URLs given")]
    [InlineData("{\"peerURLs\":[\"notaurl\"]}", "URL scheme must be http, https, unix, or unixs: notaurl")]
    [InlineData("{\"peerURLs\":[\"http://127.0.0.1\"]}", "URL address does not have the form \\\"host:port\\\": http://127.0.0.1")]
    [InlineData("{\"peerURLs\":[\"http://127.0.0.1:2380/path\"]}", "URL must not contain a path: http://127.0.0.1:2380/path")]
    public async Task Post_without_valid_peer_urls_is_400_with_etcds_message(string json, string message)
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);
        var member = cluster.Members[0];

        var answer = await cluster.SendMembersAsync(HttpMethod.Post, member, string.Empty,
            new StringContent(json, Encoding.UTF8, "application/json"));

        answer.Status.Should().Be(HttpStatusCode.BadRequest, answer.ToString());
        answer.Body.Should().Be($"{{\"message\":\"{message}\"}}");
    }

    [Fact]
    public async Task Post_with_the_peer_url_of_a_member_is_409_peer_url_exists()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);
        var member = cluster.Members[0];

        var answer = await cluster.SendMembersAsync(HttpMethod.Post, member, string.Empty, MembershipCluster.JsonBody(member.PeerUrl));

        answer.Status.Should().Be(HttpStatusCode.Conflict, answer.ToString());
        answer.ContentType.Should().Be("application/json");
        answer.Body.Should().Be("{\"message\":\"membership: peerURL exists\"}");
    }

    [Fact]
    public async Task Post_adds_an_unstarted_member_201_with_an_empty_name_and_no_client_urls()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);
        var member = cluster.Members[0];
        var peerUrls = TwoPeerUrlsInDescendingOrder();

        var answer = await cluster.SendMembersAsync(HttpMethod.Post, member, string.Empty, MembershipCluster.JsonBody(peerUrls));

        answer.Status.Should().Be(HttpStatusCode.Created, $"{answer}\n{cluster.Output}");
        answer.ContentType.Should().Be("application/json");
        var id = JsonDocument.Parse(answer.Body).RootElement.GetProperty("id").GetString()!;
        // etcd prints ids as hex without leading zeros (types.ID.String), so usually but not always 16 digits.
        id.Should().MatchRegex("^[0-9a-f]{1,16}$").And.NotBe(member.Id);
        // etcd sorts the peer URLs (types.NewURLs).
        var sorted = $"[\"{peerUrls[1]}\",\"{peerUrls[0]}\"]";
        answer.Body.Should().Be($"{{\"id\":\"{id}\",\"name\":\"\",\"peerURLs\":{sorted},\"clientURLs\":[]}}\n");

        var listing = await cluster.Http.GetStringAsync(member.Url("/v2/members"));
        output.WriteLine(listing);
        using var members = JsonDocument.Parse(listing);
        var added = members.RootElement.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("id").GetString() == id);
        added.GetRawText().Should().Be($"{{\"id\":\"{id}\",\"name\":\"\",\"peerURLs\":{sorted},\"clientURLs\":[]}}");
        members.RootElement.GetProperty("members").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task A_second_post_before_the_first_added_member_started_is_500_not_enough_started_members()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);
        var member = cluster.Members[0];
        var first = await cluster.SendMembersAsync(HttpMethod.Post, member, string.Empty, MembershipCluster.JsonBody(NewPeerUrl()));
        first.Status.Should().Be(HttpStatusCode.Created, $"{first}\n{cluster.Output}");

        // etcd's strict reconfiguration check: one started member of three would be below quorum (ErrNotEnoughStartedMembers).
        var second = await cluster.SendMembersAsync(HttpMethod.Post, member, string.Empty, MembershipCluster.JsonBody(NewPeerUrl()));

        second.Status.Should().Be(HttpStatusCode.InternalServerError, second.ToString());
        second.Body.Should().Be(InternalServerError);
        (await cluster.ListMembersAsync(member)).Members.Should().HaveCount(2);
    }

    [Theory]
    [InlineData("1234abcd", "1234abcd")]
    [InlineData("00000000deadbeef", "deadbeef")]
    [InlineData("DEADBEEF", "deadbeef")]
    public async Task Delete_of_an_unknown_id_is_404_no_such_member_with_etcds_id_spelling(string id, string spelled)
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);

        var answer = await cluster.SendMembersAsync(HttpMethod.Delete, cluster.Members[0], "/" + id, null);

        answer.Status.Should().Be(HttpStatusCode.NotFound, answer.ToString());
        answer.ContentType.Should().Be("application/json");
        answer.Body.Should().Be($"{{\"message\":\"No such member: {spelled}\"}}");
    }

    [Theory]
    [InlineData("notahex")]
    [InlineData("123456789abcdef01")]
    public async Task Delete_of_an_id_that_is_not_a_64_bit_hex_number_is_404_quoting_it(string id)
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);

        var answer = await cluster.SendMembersAsync(HttpMethod.Delete, cluster.Members[0], "/" + id, null);

        answer.Status.Should().Be(HttpStatusCode.NotFound, answer.ToString());
        answer.Body.Should().Be($"{{\"message\":\"No such member: {id}\"}}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    public async Task Delete_without_an_id_is_405_in_plain_text(string suffix)
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);

        var answer = await cluster.SendMembersAsync(HttpMethod.Delete, cluster.Members[0], suffix, null);

        answer.Status.Should().Be(HttpStatusCode.MethodNotAllowed, answer.ToString());
        answer.ContentType.Should().Be("text/plain");
        answer.Body.Should().Be("Method Not Allowed\n");
        (await cluster.ListMembersAsync(cluster.Members[0])).Members.Should().HaveCount(1);
    }

    [Fact]
    public async Task Put_replaces_a_members_peer_urls_204_and_the_listing_shows_them_sorted()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);
        var member = cluster.Members[0];
        var peerUrls = TwoPeerUrlsInDescendingOrder();

        var answer = await cluster.SendMembersAsync(HttpMethod.Put, member, "/" + member.Id, MembershipCluster.JsonBody(peerUrls));

        answer.Status.Should().Be(HttpStatusCode.NoContent, $"{answer}\n{cluster.Output}");
        answer.Body.Should().BeEmpty();
        var listed = (await cluster.ListMembersAsync(member)).Members.Should().ContainSingle().Subject;
        listed.Id.Should().Be(member.Id);
        listed.Name.Should().Be(member.Name);
        listed.PeerUrls.Should().Equal(peerUrls[1], peerUrls[0]);
        listed.ClientUrls.Should().Equal(member.ClientUrl);
    }

    [Fact]
    public async Task Put_of_an_unknown_id_is_404_no_such_member()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);

        var answer = await cluster.SendMembersAsync(HttpMethod.Put, cluster.Members[0], "/1234abcd", MembershipCluster.JsonBody(NewPeerUrl()));

        answer.Status.Should().Be(HttpStatusCode.NotFound, answer.ToString());
        answer.Body.Should().Be("{\"message\":\"No such member: 1234abcd\"}");
    }

    [Fact]
    public async Task Put_with_a_content_type_other_than_json_is_415()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);
        var member = cluster.Members[0];

        var answer = await cluster.SendMembersAsync(HttpMethod.Put, member, "/" + member.Id,
            new StringContent(PeerUrlsJson(NewPeerUrl()), Encoding.UTF8, "text/plain"));

        answer.Status.Should().Be(HttpStatusCode.UnsupportedMediaType, answer.ToString());
        answer.Body.Should().Be("{\"message\":\"Bad Content-Type text/plain, accept application/json\"}");
        (await cluster.ListMembersAsync(member)).Members.Single().PeerUrls.Should().Equal(member.PeerUrl);
    }

    [Fact]
    public async Task Put_with_the_peer_url_of_another_member_is_409_peer_url_exists()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 3);
        var leader = await cluster.WaitForLeaderAsync();
        var target = cluster.Members.First(m => m != leader);
        var other = cluster.Members.First(m => m != leader && m != target);

        var answer = await cluster.SendMembersAsync(HttpMethod.Put, leader, "/" + target.Id, MembershipCluster.JsonBody(other.PeerUrl));

        answer.Status.Should().Be(HttpStatusCode.Conflict, $"{answer}\n{cluster.Output}");
        answer.Body.Should().Be("{\"message\":\"membership: peerURL exists\"}");
        await cluster.WaitUntilEveryMemberListsAllAsync();
    }

    [Fact]
    public async Task Other_methods_are_405_with_the_allowed_ones()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);
        using var request = new HttpRequestMessage(HttpMethod.Patch, cluster.Members[0].Url("/v2/members"));
        using var response = await cluster.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().Equal("GET", "POST", "DELETE", "PUT");
        (await response.Content.ReadAsStringAsync()).Should().Be("Method Not Allowed\n");
    }

    /// <summary>Two fresh peer URLs, the larger first, to see that etcd answers them sorted.</summary>
    private static string[] TwoPeerUrlsInDescendingOrder()
    {
        var first = NewPeerUrl();
        var second = NewPeerUrl();
        while (second == first)
        {
            second = NewPeerUrl();
        }

        // Go sorts by the URLs' strings, byte by byte: ordinal order.
        return [.. new[] { first, second }.OrderDescending(StringComparer.Ordinal)];
    }

    private static string NewPeerUrl() => $"http://127.0.0.1:{KvDirectory.Testing.FreePort.Next()}";

    private static string PeerUrlsJson(params string[] peerUrls) => JsonSerializer.Serialize(new { peerURLs = peerUrls });
}

[Collection(MembershipCollection.Name)]
[Trait(MembershipTraits.Server, MembershipTraits.Etcd)]
public sealed class MembersHttpContractOnEtcd(ITestOutputHelper output) : MembersHttpContractTests(output)
{
    protected override Server Server => Server.Etcd;
}

[Collection(MembershipCollection.Name)]
[Trait(MembershipTraits.Server, MembershipTraits.KvDirectory)]
public sealed class MembersHttpContractOnKvDirectory(ITestOutputHelper output) : MembersHttpContractTests(output)
{
    protected override Server Server => Server.KvDirectory;
}
