using System.Net;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// DELETE of a follower of a three-member cluster: 204, two members listed everywhere, the removed process stops
/// serving (etcd's learns it from its peers and shuts itself down), the rest keep taking writes, and a second
/// DELETE of the same id is 410 Gone.
/// </summary>
public abstract class RemoveFollowerTests(ITestOutputHelper output)
{
    protected abstract Server Server { get; }

    [Fact]
    public async Task Removing_a_follower_leaves_two_members_that_take_writes_and_the_removed_member_stops_serving()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 3);
        var leader = await cluster.WaitForLeaderAsync();
        var follower = cluster.Members.First(m => m != leader);
        var before = await cluster.PutManyAsync(leader, "/data", "before", 20);

        var removal = await cluster.RemoveMemberAsync(follower, leader);
        removal.Status.Should().Be(HttpStatusCode.NoContent, $"{removal}\n{cluster.Output}");
        removal.Body.Should().BeEmpty();

        cluster.Members.Should().HaveCount(2);
        await cluster.WaitUntilEveryMemberListsAllAsync();

        // Loosely: etcd's removed member stops answering clients at once and exits about a second later.
        var stopped = System.Diagnostics.Stopwatch.StartNew();
        await cluster.PollAsync($"{follower.Name} to stop serving after its removal",
            async () => follower.HasExited || !await cluster.IsHealthyAsync(follower), TimeSpan.FromSeconds(15));
        var exited = await follower.WaitForExitAsync(TimeSpan.FromSeconds(5));
        output.WriteLine($"{Server}: removed {follower.Name} stopped serving after {stopped.Elapsed.TotalSeconds:F1}s; " +
            (exited ? $"exited with {follower.ExitCode}" : "still running 5 s later"));

        foreach (var member in cluster.Members)
        {
            var put = await cluster.PutAsync(member, $"/data/after-on-{member.Name}", member.Name);
            put.Status.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Created], $"{member.Name} takes writes: {put}\n{cluster.Output}");
        }

        foreach (var member in cluster.Members)
        {
            (await cluster.MissingWritesAsync(member, before, "/data")).Should().BeEmpty();
        }

        var again = await cluster.SendMembersAsync(HttpMethod.Delete, leader, "/" + follower.Id, null);
        again.Status.Should().Be(HttpStatusCode.Gone, again.ToString());
        again.Body.Should().Be($"{{\"message\":\"Member permanently removed: {follower.Id}\"}}");

        foreach (var line in cluster.Events)
        {
            output.WriteLine($"{Server}: {line}");
        }
    }
}

[Collection(MembershipCollection.Name)]
[Trait(MembershipTraits.Server, MembershipTraits.Etcd)]
public sealed class RemoveFollowerOnEtcd(ITestOutputHelper output) : RemoveFollowerTests(output)
{
    protected override Server Server => Server.Etcd;
}

[Collection(MembershipCollection.Name)]
[Trait(MembershipTraits.Server, MembershipTraits.KvDirectory)]
public sealed class RemoveFollowerOnKvDirectory(ITestOutputHelper output) : RemoveFollowerTests(output)
{
    protected override Server Server => Server.KvDirectory;
}
