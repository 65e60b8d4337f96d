namespace KvDirectory.Node.Membership;

/// <summary>
/// What a membership change may do and what it does, as pure functions of the replicated state: every member
/// validates and applies the same entry against the same state, so they all reach the same member list.
/// </summary>
public static class MembershipRules
{
    public static MembershipError? Validate(ClusterState state, MembershipChange change)
    {
        if (state.RemovedIds.Contains(change.MemberId))
        {
            return MembershipError.IdRemoved;
        }

        var existing = state.Find(change.MemberId);
        switch (change.Kind)
        {
            case MembershipChangeKind.Add:
                if (existing is not null)
                {
                    return MembershipError.IdExists;
                }

                return UsesTakenPeerUrl(state, change) ? MembershipError.PeerUrlExists : null;
            case MembershipChangeKind.Remove:
                return existing is null ? MembershipError.IdNotFound : null;
            default:
                if (existing is null)
                {
                    return MembershipError.IdNotFound;
                }

                return UsesTakenPeerUrl(state, change) ? MembershipError.PeerUrlExists : null;
        }
    }

    /// <summary>The state after a change that <see cref="Validate"/> accepted.</summary>
    public static ClusterState Apply(ClusterState state, MembershipChange change) => change.Kind switch
    {
        MembershipChangeKind.Add => state with
        {
            Members = [.. state.Members, new ClusterMember(change.MemberId, change.Name, [.. change.PeerUrls], [])],
        },
        MembershipChangeKind.Remove => state with
        {
            Members = [.. state.Members.Where(m => m.Id != change.MemberId)],
            RemovedIds = new HashSet<ulong>(state.RemovedIds) { change.MemberId },
        },
        _ => state with
        {
            Members = [.. state.Members.Select(m => m.Id == change.MemberId ? m with { PeerUrls = [.. change.PeerUrls] } : m)],
        },
    };

    /// <summary>
    /// The state after a member published its attributes; null when nothing changes (an unknown or removed member,
    /// or attributes already shown), so every member ignores the same entries alike.
    /// </summary>
    public static ClusterState? ApplyAttributes(ClusterState state, MemberAttributes attributes) =>
        state.Find(attributes.MemberId) is { } member && !attributes.AreShownBy(member)
            ? state with
            {
                Members = [.. state.Members.Select(m => m.Id == attributes.MemberId
                    ? m with { Name = attributes.Name, ClientUrls = [.. attributes.ClientUrls] }
                    : m)],
            }
            : null;

    /// <summary>
    /// etcd's strict reconfiguration check for adding a voter: after the add, the members that have started must
    /// still make a quorum (a one-member cluster may always grow to two, to restore a cluster from one member).
    /// A member counts as started once it has a name (given at bootstrap or published through the log).
    /// </summary>
    public static bool IsReadyToAdd(ClusterState state)
    {
        var members = state.Members.Count + 1;
        var started = state.Members.Count(m => m.Name.Length > 0);
        if (started == 1 && members == 2)
        {
            return true;
        }

        return started >= (members / 2) + 1;
    }

    /// <summary>The check for removing a voter: the started members left must still make a quorum of the members left.</summary>
    public static bool IsReadyToRemove(ClusterState state, ulong memberId)
    {
        var remaining = state.Members.Where(m => m.Id != memberId).ToArray();
        var started = remaining.Count(m => m.Name.Length > 0);
        return started >= (remaining.Length / 2) + 1;
    }

    private static bool UsesTakenPeerUrl(ClusterState state, MembershipChange change) =>
        state.Members.Any(m => m.Id != change.MemberId && m.PeerUrls.Intersect(change.PeerUrls, StringComparer.Ordinal).Any());
}
