using KvDirectory.Protocol;

namespace KvDirectory.Node.Membership;

/// <summary>
/// The cluster as this node sees it. Immutable: a membership change builds a new one and swaps the reference.
/// Replicated state: every member agrees on it at the same log index (ids, peer URLs and removed ids from membership
/// changes; names and client URLs as each member published them, <see cref="MemberAttributes"/>).
/// </summary>
public sealed record ClusterState(ulong ClusterId, ulong LocalMemberId, IReadOnlyList<ClusterMember> Members)
{
    private static readonly IReadOnlySet<ulong> NoneRemoved = new HashSet<ulong>();

    /// <summary>Members removed at runtime: their ids are never reused and their traffic is refused.</summary>
    public IReadOnlySet<ulong> RemovedIds { get; init; } = NoneRemoved;

    /// <summary>This member; a placeholder once it has been removed (the node is then shutting down).</summary>
    public ClusterMember LocalMember => Find(LocalMemberId) ?? new ClusterMember(LocalMemberId, string.Empty, [], []);

    public ClusterMember? Find(ulong id) => Members.FirstOrDefault(m => m.Id == id);

    public MemberCollection ToMemberCollection() => new() { Members = Members.Select(ToWire).ToArray() };

    public static Member ToWire(ClusterMember member) => new()
    {
        Id = MemberId.Format(member.Id),
        Name = member.Name,
        PeerUrls = member.PeerUrls,
        ClientUrls = member.ClientUrls,
    };
}
