using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// The changes <c>POST/PUT /v2/members</c> accept, with the status codes and bodies etcd 3.4's v2 membersHandler
/// answers (etcdserver/api/v2http/client.go), byte for byte wherever etcd's are deterministic. Each changes the
/// membership, so each starts its own cluster; the refused requests share one (<see cref="MembersHttpRefusalTests"/>).
/// </summary>
public abstract class MembersHttpContractTests(ITestOutputHelper output)
{
    private const string InternalServerError = "{\"message\":\"Internal Server Error\"}";

    protected abstract Server Server { get; }

    [Fact]
    public async Task Post_adds_an_unstarted_member_201_with_an_empty_name_and_no_client_urls_and_a_second_post_before_it_started_is_500()
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

        // etcd's strict reconfiguration check: one started member of three would be below quorum (ErrNotEnoughStartedMembers).
        var second = await cluster.SendMembersAsync(HttpMethod.Post, member, string.Empty, MembershipCluster.JsonBody(PeerUrls.New()));

        second.Status.Should().Be(HttpStatusCode.InternalServerError, second.ToString());
        second.Body.Should().Be(InternalServerError);
        (await cluster.ListMembersAsync(member)).Members.Should().HaveCount(2);
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

    /// <summary>Two fresh peer URLs, the larger first, to see that etcd answers them sorted.</summary>
    private static string[] TwoPeerUrlsInDescendingOrder()
    {
        var first = PeerUrls.New();
        var second = PeerUrls.New();
        while (second == first)
        {
            second = PeerUrls.New();
        }

        // Go sorts by the URLs' strings, byte by byte: ordinal order.
        return [.. new[] { first, second }.OrderDescending(StringComparer.Ordinal)];
    }

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
