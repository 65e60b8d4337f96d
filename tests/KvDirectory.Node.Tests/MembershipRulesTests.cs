using KvDirectory.Node.Membership;

namespace KvDirectory.Node.Tests;

public sealed class MembershipRulesTests
{
    private static readonly ClusterState Three = new(0xc1, 1,
    [
        new ClusterMember(1, "a", ["http://10.0.0.1:2380"], ["http://10.0.0.1:2379"]),
        new ClusterMember(2, "b", ["http://10.0.0.2:2380"], []),
        new ClusterMember(3, "c", ["http://10.0.0.3:2380"], []),
    ]);

    [Fact]
    public void Adding_a_new_id_with_new_peer_urls_appends_an_unnamed_member()
    {
        var add = new MembershipChange(MembershipChangeKind.Add, 4, ["http://10.0.0.4:2380"]);

        MembershipRules.Validate(Three, add).Should().BeNull();
        var after = MembershipRules.Apply(Three, add);

        after.Members.Select(m => m.Id).Should().Equal(1UL, 2UL, 3UL, 4UL);
        after.Find(4)!.Name.Should().BeEmpty();
        after.Find(4)!.ClientUrls.Should().BeEmpty();
        Three.Members.Should().HaveCount(3, "the state is immutable: a change builds a new one");
    }

    [Fact]
    public void Adding_an_existing_id_or_a_taken_peer_url_is_refused()
    {
        MembershipRules.Validate(Three, new MembershipChange(MembershipChangeKind.Add, 2, ["http://10.0.0.9:2380"]))
            .Should().Be(MembershipError.IdExists);
        MembershipRules.Validate(Three, new MembershipChange(MembershipChangeKind.Add, 9, ["http://10.0.0.9:2380", "http://10.0.0.3:2380"]))
            .Should().Be(MembershipError.PeerUrlExists);
    }

    [Fact]
    public void A_removed_id_is_remembered_and_refused_for_every_later_change()
    {
        var removed = MembershipRules.Apply(Three, new MembershipChange(MembershipChangeKind.Remove, 2, []));

        removed.Members.Select(m => m.Id).Should().Equal(1UL, 3UL);
        removed.RemovedIds.Should().Contain(2UL);
        MembershipRules.Validate(removed, new MembershipChange(MembershipChangeKind.Remove, 2, [])).Should().Be(MembershipError.IdRemoved);
        MembershipRules.Validate(removed, new MembershipChange(MembershipChangeKind.Add, 2, ["http://10.0.0.2:2380"])).Should().Be(MembershipError.IdRemoved);
        MembershipRules.Validate(removed, new MembershipChange(MembershipChangeKind.Add, 7, ["http://10.0.0.2:2380"]))
            .Should().BeNull("the peer URL of a removed member may be reused by a new one");
    }

    [Fact]
    public void Removing_or_updating_an_unknown_id_is_not_found()
    {
        MembershipRules.Validate(Three, new MembershipChange(MembershipChangeKind.Remove, 9, [])).Should().Be(MembershipError.IdNotFound);
        MembershipRules.Validate(Three, new MembershipChange(MembershipChangeKind.Update, 9, ["http://x:1"])).Should().Be(MembershipError.IdNotFound);
    }

    [Fact]
    public void An_update_replaces_peer_urls_and_keeps_name_and_client_urls_but_may_not_take_another_members_url()
    {
        var update = new MembershipChange(MembershipChangeKind.Update, 1, ["http://10.0.0.1:2381"]);

        var after = MembershipRules.Apply(Three, update);

        after.Find(1).Should().BeEquivalentTo(new ClusterMember(1, "a", ["http://10.0.0.1:2381"], ["http://10.0.0.1:2379"]));
        MembershipRules.Validate(Three, new MembershipChange(MembershipChangeKind.Update, 1, ["http://10.0.0.2:2380"]))
            .Should().Be(MembershipError.PeerUrlExists);
        MembershipRules.Validate(Three, new MembershipChange(MembershipChangeKind.Update, 1, ["http://10.0.0.1:2380"]))
            .Should().BeNull("a member keeping its own URL is no conflict");
    }

    [Fact]
    public void Strict_reconfiguration_lets_one_member_grow_to_two_but_a_third_only_after_the_second_started()
    {
        var one = new ClusterState(1, 1, [new ClusterMember(1, "a", ["http://a:1"], [])]);
        MembershipRules.IsReadyToAdd(one).Should().BeTrue();

        var twoUnstarted = MembershipRules.Apply(one, new MembershipChange(MembershipChangeKind.Add, 2, ["http://b:1"]));
        MembershipRules.IsReadyToAdd(twoUnstarted).Should().BeFalse("with three members only one would have started: no quorum");

        var twoStarted = twoUnstarted with { Members = [.. twoUnstarted.Members.Select(m => m with { Name = m.Name.Length > 0 ? m.Name : "b" })] };
        MembershipRules.IsReadyToAdd(twoStarted).Should().BeTrue();
    }

    [Fact]
    public void Strict_reconfiguration_refuses_a_removal_that_leaves_too_few_started_members()
    {
        var oneUnstarted = Three with { Members = [Three.Members[0], Three.Members[1], Three.Members[2] with { Name = string.Empty }] };

        MembershipRules.IsReadyToRemove(Three, 2).Should().BeTrue();
        MembershipRules.IsReadyToRemove(oneUnstarted, 3).Should().BeTrue("removing the unstarted member leaves two started of two");
        MembershipRules.IsReadyToRemove(oneUnstarted, 2).Should().BeFalse("one started of the two left is no quorum");
    }
}
