using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// A leader that goes away on purpose hands leadership over first, so the rest of the cluster never sits out an
/// election timeout: on SIGTERM, and when it is removed from the cluster.
/// </summary>
public sealed partial class LeadershipHandOffTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_leader_stopped_with_SIGTERM_hands_leadership_to_a_follower_before_it_exits()
    {
        // A long election timeout: without the hand-over the others would stay leaderless for seconds.
        await using var cluster = await ThreeNodeCluster.StartAsync("--heartbeat-interval", "50", "--election-timeout", "3000");
        var leader = await cluster.WaitForLeaderAsync();
        await cluster.PutEventuallyAsync(leader, "before", "1");

        var exitCode = await leader.TerminateAsync(TimeSpan.FromSeconds(20));

        exitCode.Should().Be(0);
        var transferee = HandOffTarget().Match(leader.Output);
        transferee.Success.Should().BeTrue($"the leader logs whom it hands over to:\n{leader.Output}");
        var successor = await cluster.WaitForLeaderAsync();
        (await MemberIdAsync(cluster, successor)).Should().Be(transferee.Groups[1].Value, "the follower it handed over to leads");
        await cluster.PutEventuallyAsync(successor, "after", "2");
        output.WriteLine($"{leader.Name} handed over to {successor.Name}");
    }

    [Fact]
    public async Task Removing_the_leader_hands_leadership_over_before_the_removal_is_proposed()
    {
        await using var cluster = await ThreeNodeCluster.StartAsync("--heartbeat-interval", "50", "--election-timeout", "3000");
        var leader = await cluster.WaitForLeaderAsync();
        var leaderId = await MemberIdAsync(cluster, leader);

        using var removal = await cluster.Http.DeleteAsync(new Uri(leader.ClientUrl, $"/v2/members/{leaderId}"));

        ((int)removal.StatusCode).Should().Be(204, await removal.Content.ReadAsStringAsync());
        await cluster.PollAsync($"{leader.Name} to exit after its removal", () => Task.FromResult(!leader.IsRunning));
        leader.Output.Should().Contain($"Removing leader {leaderId}: handing leadership to");
        var successor = await cluster.WaitForLeaderAsync();
        successor.Should().NotBe(leader);
        await cluster.PutEventuallyAsync(successor, "after", "2");
    }

    private static async Task<string> MemberIdAsync(ThreeNodeCluster cluster, ThreeNodeMember member)
    {
        using var self = JsonDocument.Parse(await cluster.Http.GetStringAsync(new Uri(member.ClientUrl, "/v2/stats/self")));
        return self.RootElement.GetProperty("id").GetString()!;
    }

    [GeneratedRegex("Stopping: handing leadership to ([0-9a-f]{1,16}) first")]
    private static partial Regex HandOffTarget();
}
