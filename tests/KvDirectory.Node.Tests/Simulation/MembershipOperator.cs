using System.Globalization;
using KvDirectory.Node.Loop;
using KvDirectory.Node.Membership;

namespace KvDirectory.Node.Tests.Simulation;

/// <summary>
/// An operator changing the membership in the middle of the faults, as one does through the members endpoint: asks
/// an up member, checked against the list that member shows (the endpoint's own checks), then through its node's
/// membership interface; one change at a time. A member added is started once a member lists it (the add was
/// answered, or a crash lost the answer and the operator looked) with <c>--initial-cluster-state existing</c> and the
/// member list fetched from that member, as the server's join does. Removing the leader is asked like any removal:
/// the production path hands leadership over first.
/// </summary>
internal sealed class MembershipOperator(NodeSimulator sim)
{
    private readonly List<(ulong Id, string Name, string PeerUrl)> _addedNotStarted = [];
    private (SimulatedMember Asked, int Incarnation, MembershipInput Request, string What)? _asked;
    private int _budget = sim.Options.MembershipChanges;
    private int _lastNumber = sim.Options.Members;

    /// <summary>During the faults: follows the change under way, starts members that were added, and maybe asks for the next change.</summary>
    public void Act()
    {
        FollowUp();
        if (_asked is null && _budget > 0 && sim.Chance(sim.Options.MembershipRate) && sim.RandomUpMember() is { Node.Status.LeaderId: not 0 } asked)
        {
            Ask(asked);
        }
    }

    /// <summary>Every step: hears the answer to the change asked, and starts every added member some member lists.</summary>
    public void FollowUp()
    {
        if (_asked is { Request.Completion.Task: { IsCompleted: true } answer })
        {
            Outcome(answer.IsCompletedSuccessfully ? "applied" : $"failed ({answer.Exception!.InnerException!.Message})");
        }
        else if (_asked is { } asked && (!asked.Asked.IsUp || asked.Asked.Incarnation != asked.Incarnation))
        {
            Outcome(asked.Asked.Retired ? "the member asked was removed and stopped" : "answer lost in a crash");
        }

        foreach (var added in _addedNotStarted.ToArray())
        {
            if (sim.Members.FirstOrDefault(m => m.IsUp && m.Cluster!.Current.Find(added.Id) is not null) is { } lister)
            {
                _addedNotStarted.Remove(added);
                sim.Join(Fetch(lister, added));
            }
        }
    }

    private void Outcome(string outcome)
    {
        var (asked, _, request, what) = _asked!.Value;
        sim.Count($"membership: {what}, {outcome}");
        sim.Record($"{what} {request.Change.MemberId:x} asked of {asked.Id:x}: {outcome}");
        _asked = null;
    }

    private void Ask(SimulatedMember asked)
    {
        var listed = asked.Cluster!.Current;
        var leader = asked.Node!.Status.LeaderId;
        var grow = listed.Members.Count <= sim.Options.Members && (listed.Members.Count < 3 || sim.Chance(0.5));
        MembershipChange change;
        string what;
        if (grow)
        {
            var number = ++_lastNumber;
            var url = $"http://m{number}:2380";
            // As the endpoint: the new id hashes the peer URLs with the time.
            var seconds = sim.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            change = new MembershipChange(MembershipChangeKind.Add, MemberId.Compute([url], seconds), [url]);
            what = "add a member";
            if (!MembershipRules.IsReadyToAdd(listed))
            {
                sim.Count($"membership: {what}, refused (too few started members)");
                return;
            }

            _addedNotStarted.Add((change.MemberId, $"m{number}", url));
        }
        else
        {
            var target = listed.Find(leader) is not null && sim.Chance(0.5) ? leader : listed.Members[sim.Next(listed.Members.Count)].Id;
            change = new MembershipChange(MembershipChangeKind.Remove, target, []);
            what = target == leader ? "remove the leader" : "remove a follower";
            if (!MembershipRules.IsReadyToRemove(listed, target))
            {
                sim.Count($"membership: {what}, refused (too few started members)");
                return;
            }
        }

        _budget--;
        sim.Count($"membership: {what}, asked");
        sim.Record($"asked {asked.Id:x} to {what} {change.MemberId:x} (it lists {string.Join(',', listed.Members.Select(m => m.Id.ToString("x")))})");
        _asked = (asked, asked.Incarnation, asked.Node.SubmitMembershipChange(change), what);
    }

    /// <summary>What a new member's start fetches: the list a member serves on its peer port, with itself found by its peer URL.</summary>
    private static ClusterState Fetch(SimulatedMember lister, (ulong Id, string Name, string PeerUrl) added)
    {
        var served = ClusterStateCodec.Decode(ClusterStateCodec.Encode(lister.Cluster!.Current), 0);
        var self = served.Members.Single(m => m.PeerUrls.SequenceEqual([added.PeerUrl]));
        return served with
        {
            LocalMemberId = self.Id,
            Members = [.. served.Members.Select(m => m.Id == self.Id ? m with { Name = added.Name, ClientUrls = [added.PeerUrl.Replace("2380", "2379", StringComparison.Ordinal)] } : m)],
        };
    }
}
