using KvDirectory.Raft;

namespace KvDirectory.Node.Membership;

/// <summary>Whom a leader hands leadership to before it is removed or stops.</summary>
internal static class Transferee
{
    /// <summary>The voter (other than <paramref name="excluded"/> and this leader) whose log matches the leader's furthest; 0 when none.</summary>
    public static ulong Best(RawNode node, ulong localMemberId, ulong excluded)
    {
        var status = node.Status();
        return status.Progress
            .Where(p => p.Key != localMemberId && p.Key != excluded && !p.Value.IsLearner && status.Config.Voters.Contains(p.Key))
            .OrderByDescending(p => p.Value.Match)
            .Select(p => p.Key)
            .FirstOrDefault();
    }
}
