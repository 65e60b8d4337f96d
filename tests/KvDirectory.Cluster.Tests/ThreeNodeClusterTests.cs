using System.Net;
using System.Text.Json;

namespace KvDirectory.Cluster.Tests;

/// <summary>Three real processes talking over the peer transport (the <see cref="SharedCluster"/>; failures are in <see cref="ThreeNodeFailoverTests"/>).</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ThreeNodeClusterTests(SharedCluster shared)
{
    [Fact]
    public async Task A_leader_is_elected_and_a_write_on_each_member_is_readable_with_quorum_on_every_member()
    {
        var cluster = shared.Cluster;
        await cluster.WaitForLeaderAsync();

        foreach (var writer in cluster.Members)
        {
            using var put = await cluster.PutAsync(writer, $"written-on-{writer.Name}", writer.Name);
            put.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Created], cluster.Output);
        }

        foreach (var reader in cluster.Members)
        {
            foreach (var writer in cluster.Members)
            {
                (await cluster.GetAsync(reader, $"written-on-{writer.Name}", quorum: true))
                    .Should().Be(writer.Name, $"{reader.Name} reads what {writer.Name} wrote");
            }
        }
    }

    [Fact]
    public async Task Every_member_lists_all_members_with_their_client_urls_and_the_same_leader()
    {
        var cluster = shared.Cluster;
        var leader = await cluster.WaitForLeaderAsync();

        foreach (var member in cluster.Members)
        {
            // Client URLs arrive with each peer's handshake, so they may show [] for a moment after start.
            await cluster.PollAsync($"every client URL on {member.Name}", async () =>
            {
                using var members = JsonDocument.Parse(await cluster.Http.GetStringAsync(new Uri(member.ClientUrl, "/v2/members")));
                var listed = members.RootElement.GetProperty("members").EnumerateArray()
                    .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("clientURLs").EnumerateArray().Select(u => u.GetString()).ToArray());
                return listed.Count == 3 && cluster.Members.All(m =>
                    listed.TryGetValue(m.Name, out var urls) && urls.SequenceEqual([m.ClientUrl.ToString().TrimEnd('/')]));
            });

            using var leaderDoc = JsonDocument.Parse(await cluster.Http.GetStringAsync(new Uri(member.ClientUrl, "/v2/members/leader")));
            leaderDoc.RootElement.GetProperty("name").GetString().Should().Be(leader.Name);
        }

        using var stats = JsonDocument.Parse(await cluster.Http.GetStringAsync(new Uri(leader.ClientUrl, "/v2/stats/leader")));
        stats.RootElement.GetProperty("followers").EnumerateObject().Should().HaveCount(2);
        using var followerStats = await cluster.Http.GetAsync(new Uri(cluster.Members.First(m => m != leader).ClientUrl, "/v2/stats/leader"));
        followerStats.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task With_peer_dial_override_every_member_reaches_its_peers_through_the_given_addresses()
    {
        var cluster = shared.Cluster;
        var leader = await cluster.WaitForLeaderAsync();

        await cluster.PutEventuallyAsync(leader, "through-proxies", "yes");

        foreach (var member in cluster.Members)
        {
            (await cluster.GetAsync(member, "through-proxies", quorum: true)).Should().Be("yes");
        }

        // Each member dials each of its two peers through that ordered pair's own proxy.
        await cluster.PollAsync("a connection through every pair proxy", () =>
            Task.FromResult(cluster.Mesh.Links.Values.All(proxy => proxy.ConnectionsAccepted >= 1)));
    }
}
