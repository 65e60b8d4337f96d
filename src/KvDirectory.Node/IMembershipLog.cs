using KvDirectory.Node.Membership;

namespace KvDirectory.Node;

/// <summary>Runtime membership changes go through the replicated log like writes; <c>/v2/members</c> sees only this.</summary>
public interface IMembershipLog
{
    /// <summary>
    /// Proposes the change, waits until this member applied it, and returns the member list after it. Throws
    /// <see cref="MembershipException"/> when the change is refused, and etcd's 300 error when it timed out.
    /// Removing the current leader first hands leadership to another member.
    /// </summary>
    Task<ClusterState> ChangeMembershipAsync(MembershipChange change, CancellationToken cancellationToken);

    /// <summary>
    /// Before a graceful stop: a leader hands leadership to its most up-to-date follower, so the cluster does not
    /// wait an election timeout for a new one. Returns false when it was not leader or no transfer finished in time.
    /// </summary>
    bool HandOverLeadership(TimeSpan timeout);
}
