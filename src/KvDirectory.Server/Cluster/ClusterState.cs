using KvDirectory.Protocol;

namespace KvDirectory.Server.Cluster;

/// <summary>
/// The cluster as this node sees it. Immutable: a membership change builds a new one and swaps the reference.
/// </summary>
public sealed record ClusterState(ulong ClusterId, ulong LocalMemberId, IReadOnlyList<ClusterMember> Members)
{
    public ClusterMember LocalMember => Members.First(m => m.Id == LocalMemberId);

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
