using KvDirectory.Node.Membership;

namespace KvDirectory.Node.Tests;

/// <summary>
/// Two members remove one of them, and its host stops for good: the member left must go on alone, even if it loses
/// power right after applying the removal. Restarted in the configuration before the change, it would need the vote
/// of the member that is gone, and no election could be won again.
/// </summary>
public sealed class LeaderRemovalTests
{
    /// <summary>The power cut keeps a random share of what was not fsynced: several seeds, so some drop all of it.</summary>
    private const int Seeds = 8;

    [Fact]
    public void Removing_the_leader_through_itself_is_answered_although_its_successor_had_entries_left_to_apply()
    {
        var cluster = new SteppedCluster(seed: 1, members: 2);
        var (leader, follower) = cluster.ElectLeader();

        // It hands leadership over first. The successor still has the old leader's last entries to apply (attributes
        // published right after the election), and a membership change it takes before those are applied is a no-op.
        var removal = leader.Node!.SubmitMembershipChange(new MembershipChange(MembershipChangeKind.Remove, leader.Id, []));
        cluster.StepUntil(() => removal.Completion.Task.IsCompleted);

        removal.Completion.Task.Status.Should().Be(TaskStatus.RanToCompletion, removal.Completion.Task.Exception?.InnerException?.Message);
        follower.Cluster!.Current.Members.Select(m => m.Id).Should().Equal([follower.Id]);
    }

    [Fact]
    public void The_member_left_leads_alone_even_when_it_loses_power_right_after_applying_the_removal()
    {
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var cluster = new SteppedCluster(seed, members: 2);
            var (leader, follower) = cluster.ElectLeader();

            // Asked of the follower, the removal of the leader first makes the follower lead; it then commits the removal.
            follower.Node!.SubmitMembershipChange(new MembershipChange(MembershipChangeKind.Remove, leader.Id, []));
            cluster.StepUntil(() => follower.Cluster!.Current.Members.All(m => m.Id != leader.Id));
            leader.Retire();
            follower.Crash(powerLoss: true);
            follower.Start();

            cluster.StepUntil(() => follower.Node!.Status.Role == NodeRole.Leader);
            follower.Cluster!.Current.Members.Select(m => m.Id).Should().Equal([follower.Id], $"seed {seed}");
        }
    }
}
