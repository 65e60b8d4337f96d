using System.Net;
using System.Text;
using System.Text.Json;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// The requests etcd 3.4's v2 membersHandler (etcdserver/api/v2http/client.go) refuses, with its status codes and
/// bodies byte for byte wherever etcd's are deterministic. A refusal changes nothing, so one single-member cluster
/// per server serves them all (<see cref="SingleMemberCluster"/>); the accepted changes are in <see cref="MembersHttpContractTests"/>.
/// </summary>
public abstract class MembersHttpRefusalTests(SingleMemberCluster fixture)
{
    private MembershipCluster Cluster => fixture.Cluster;

    private MembershipMember Member => Cluster.Members[0];

    [Theory]
    [InlineData("text/plain", "text/plain")]
    [InlineData("application/x-www-form-urlencoded", "application/x-www-form-urlencoded")]
    public async Task Post_with_a_content_type_other_than_json_is_415_and_adds_nothing(string mediaType, string quoted)
    {
        var answer = await Cluster.SendMembersAsync(HttpMethod.Post, Member, string.Empty,
            new StringContent(PeerUrls.Json(PeerUrls.New()), Encoding.UTF8, mediaType));

        answer.Status.Should().Be(HttpStatusCode.UnsupportedMediaType, answer.ToString());
        answer.ContentType.Should().Be("application/json");
        answer.Body.Should().Be($"{{\"message\":\"Bad Content-Type {quoted}, accept application/json\"}}");
        (await Cluster.ListMembersAsync(Member)).Members.Should().HaveCount(1);
    }

    [Fact]
    public async Task Post_with_malformed_json_is_400_with_a_message()
    {
        var answer = await Cluster.SendMembersAsync(HttpMethod.Post, Member, string.Empty,
            new StringContent("{\"peerURLs\":", Encoding.UTF8, "application/json"));

        // etcd's message is Go's JSON error text ("unexpected end of JSON input"): only the shape is etcd's contract.
        answer.Status.Should().Be(HttpStatusCode.BadRequest, answer.ToString());
        answer.ContentType.Should().Be("application/json");
        using var body = JsonDocument.Parse(answer.Body);
        body.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("message");
        body.RootElement.GetProperty("message").GetString().Should().NotBeNullOrEmpty();
        (await Cluster.ListMembersAsync(Member)).Members.Should().HaveCount(1);
    }

    [Theory]
    [InlineData("{}", "no valid URLs given")]
    [InlineData("{\"peerURLs\":[]}", "no valid URLs given")]
    [InlineData("{\"peerURLs\":[\"notaurl\"]}", "URL scheme must be http, https, unix, or unixs: notaurl")]
    [InlineData("{\"peerURLs\":[\"http://127.0.0.1\"]}", "URL address does not have the form \\\"host:port\\\": http://127.0.0.1")]
    [InlineData("{\"peerURLs\":[\"http://127.0.0.1:2380/path\"]}", "URL must not contain a path: http://127.0.0.1:2380/path")]
    public async Task Post_without_valid_peer_urls_is_400_with_etcds_message(string json, string message)
    {
        var answer = await Cluster.SendMembersAsync(HttpMethod.Post, Member, string.Empty,
            new StringContent(json, Encoding.UTF8, "application/json"));

        answer.Status.Should().Be(HttpStatusCode.BadRequest, answer.ToString());
        answer.Body.Should().Be($"{{\"message\":\"{message}\"}}");
    }

    [Fact]
    public async Task Post_with_the_peer_url_of_a_member_is_409_peer_url_exists()
    {
        var answer = await Cluster.SendMembersAsync(HttpMethod.Post, Member, string.Empty, MembershipCluster.JsonBody(Member.PeerUrl));

        answer.Status.Should().Be(HttpStatusCode.Conflict, answer.ToString());
        answer.ContentType.Should().Be("application/json");
        answer.Body.Should().Be("{\"message\":\"membership: peerURL exists\"}");
    }

    [Theory]
    [InlineData("1234abcd", "1234abcd")]
    [InlineData("00000000deadbeef", "deadbeef")]
    [InlineData("DEADBEEF", "deadbeef")]
    public async Task Delete_of_an_unknown_id_is_404_no_such_member_with_etcds_id_spelling(string id, string spelled)
    {
        var answer = await Cluster.SendMembersAsync(HttpMethod.Delete, Member, "/" + id, null);

        answer.Status.Should().Be(HttpStatusCode.NotFound, answer.ToString());
        answer.ContentType.Should().Be("application/json");
        answer.Body.Should().Be($"{{\"message\":\"No such member: {spelled}\"}}");
    }

    [Theory]
    [InlineData("notahex")]
    [InlineData("123456789abcdef01")]
    public async Task Delete_of_an_id_that_is_not_a_64_bit_hex_number_is_404_quoting_it(string id)
    {
        var answer = await Cluster.SendMembersAsync(HttpMethod.Delete, Member, "/" + id, null);

        answer.Status.Should().Be(HttpStatusCode.NotFound, answer.ToString());
        answer.Body.Should().Be($"{{\"message\":\"No such member: {id}\"}}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    public async Task Delete_without_an_id_is_405_in_plain_text(string suffix)
    {
        var answer = await Cluster.SendMembersAsync(HttpMethod.Delete, Member, suffix, null);

        answer.Status.Should().Be(HttpStatusCode.MethodNotAllowed, answer.ToString());
        answer.ContentType.Should().Be("text/plain");
        answer.Body.Should().Be("Method Not Allowed\n");
        (await Cluster.ListMembersAsync(Member)).Members.Should().HaveCount(1);
    }

    [Fact]
    public async Task Put_of_an_unknown_id_is_404_no_such_member()
    {
        var answer = await Cluster.SendMembersAsync(HttpMethod.Put, Member, "/1234abcd", MembershipCluster.JsonBody(PeerUrls.New()));

        answer.Status.Should().Be(HttpStatusCode.NotFound, answer.ToString());
        answer.Body.Should().Be("{\"message\":\"No such member: 1234abcd\"}");
    }

    [Fact]
    public async Task Put_with_a_content_type_other_than_json_is_415()
    {
        var answer = await Cluster.SendMembersAsync(HttpMethod.Put, Member, "/" + Member.Id,
            new StringContent(PeerUrls.Json(PeerUrls.New()), Encoding.UTF8, "text/plain"));

        answer.Status.Should().Be(HttpStatusCode.UnsupportedMediaType, answer.ToString());
        answer.Body.Should().Be("{\"message\":\"Bad Content-Type text/plain, accept application/json\"}");
        (await Cluster.ListMembersAsync(Member)).Members.Single().PeerUrls.Should().Equal(Member.PeerUrl);
    }

    [Fact]
    public async Task Other_methods_are_405_with_the_allowed_ones()
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, Member.Url("/v2/members"));
        using var response = await Cluster.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().Equal("GET", "POST", "DELETE", "PUT");
        (await response.Content.ReadAsStringAsync()).Should().Be("Method Not Allowed\n");
    }
}

// Not in the MembershipCollection: a single member elects itself at once, so these run beside the other tests.
[Trait(MembershipTraits.Server, MembershipTraits.Etcd)]
public sealed class MembersHttpRefusalsOnEtcd(SingleEtcdMember fixture) : MembersHttpRefusalTests(fixture), IClassFixture<SingleEtcdMember>;

[Trait(MembershipTraits.Server, MembershipTraits.KvDirectory)]
public sealed class MembersHttpRefusalsOnKvDirectory(SingleKvDirectoryMember fixture) : MembersHttpRefusalTests(fixture), IClassFixture<SingleKvDirectoryMember>;
