using System.Net;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// A member removed while it was down never applies its own removal entry. Restarted from its data dir, it must learn
/// from its former peers that it was removed and shut itself down, rather than knock on their doors forever.
/// </summary>
public abstract class RemovedWhileDownTests(ITestOutputHelper output)
{
    protected abstract Server Server { get; }

    [Fact]
    public async Task A_member_removed_while_it_was_down_shuts_itself_down_when_restarted()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server, 3);
        var initialCluster = string.Join(',', cluster.Members.Select(m => $"{m.Name}={m.PeerUrl}"));
        var leader = await cluster.WaitForLeaderAsync();
        var victim = cluster.Members.First(m => m != leader);
        await cluster.PutManyAsync(leader, "/data", "before", 10);

        await victim.KillAsync();
        var removal = await cluster.RemoveMemberAsync(victim, leader);
        removal.Status.Should().Be(HttpStatusCode.NoContent, $"{removal}\n{cluster.Output}");
        await cluster.WaitUntilEveryMemberListsAllAsync();

        var restarted = System.Diagnostics.Stopwatch.StartNew();
        victim.Start(Server, initialCluster, "new", cluster.Token, []);
        var exited = await victim.WaitForExitAsync(TimeSpan.FromSeconds(20));
        exited.Should().BeTrue($"the removed member should shut down once its peers tell it; its output:\n{victim.Output}");
        output.WriteLine($"{Server}: the removed member exited {restarted.Elapsed.TotalSeconds:F1}s after its restart, code {victim.ExitCode}");

        foreach (var member in cluster.Members)
        {
            var put = await cluster.PutAsync(member, $"/data/after-on-{member.Name}", member.Name);
            put.Status.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Created], $"{member.Name} takes writes: {put}");
        }
    }
}

[Collection(MembershipCollection.Name)]
[Trait(MembershipTraits.Server, MembershipTraits.Etcd)]
public sealed class RemovedWhileDownOnEtcd(ITestOutputHelper output) : RemovedWhileDownTests(output)
{
    protected override Server Server => Server.Etcd;
}

[Collection(MembershipCollection.Name)]
[Trait(MembershipTraits.Server, MembershipTraits.KvDirectory)]
public sealed class RemovedWhileDownOnKvDirectory(ITestOutputHelper output) : RemovedWhileDownTests(output)
{
    protected override Server Server => Server.KvDirectory;
}
