using KvDirectory.Raft;
using KvDirectory.Transport;

namespace KvDirectory.Node.Membership;

/// <summary>
/// The replicated member list (rebuilt from the snapshot and the log on every start) and what is published from it:
/// the <see cref="ClusterStateHolder"/> the endpoints read, and the roster the transport dials and admits by.
/// Touched only by the node's thread (and by the opener before the thread starts).
/// </summary>
internal sealed class MemberList(ClusterStateHolder cluster, ClusterMember self)
{
    private ClusterState _replicated = null!;
    private ClusterState? _joinHint;
    private IPeerNetwork? _network;

    /// <summary>The members every member agrees on at the applied index.</summary>
    public ClusterState Replicated => _replicated;

    public ClusterStateHolder Holder => cluster;

    /// <summary>
    /// The list starts from the snapshot's; a data dir without one starts empty and the log replay (the bootstrap
    /// entries first) fills it. Until this member sees its own addition, the member list it was started with (flags,
    /// or fetched when joining: <paramref name="joinHint"/>) is shown and dialed too, so it can talk to the leader meanwhile.
    /// </summary>
    public void Restore(ClusterState replicated, ClusterState? joinHint)
    {
        _replicated = replicated;
        _joinHint = joinHint;
        Publish();
    }

    /// <summary>The transport is attached before the node's thread starts, and told the members at once.</summary>
    public void Attach(IPeerNetwork? network)
    {
        _network = network;
        network?.UpdateRoster(ToRoster(cluster.Current));
    }

    public ClusterState Replace(ClusterState replicated)
    {
        _replicated = replicated;
        return Publish();
    }

    /// <summary>
    /// Publishes the replicated member list (names and client URLs included, as members published them through the
    /// log); this member shows its own from its flags at once, before its published attributes are applied.
    /// </summary>
    public ClusterState Publish()
    {
        var visible = _replicated;
        if (_joinHint is { } hint)
        {
            // Dropped once the log has caught up with it: every member it named is known (or known removed). Dropping
            // it earlier would hang up on members the replay is about to add again.
            if (hint.Members.All(m => visible.Find(m.Id) is not null || visible.RemovedIds.Contains(m.Id)))
            {
                _joinHint = null;
            }
            else
            {
                visible = visible with
                {
                    Members = [.. visible.Members, .. hint.Members.Where(m => visible.Find(m.Id) is null && !visible.RemovedIds.Contains(m.Id))],
                };
            }
        }

        var published = visible with
        {
            Members = [.. visible.Members.Select(member =>
                member.Id == self.Id ? member with { Name = self.Name, ClientUrls = self.ClientUrls } : member)],
        };
        cluster.Replace(published);
        _network?.UpdateRoster(ToRoster(published));
        return published;
    }

    /// <summary>
    /// The members a snapshot seeded from a backup stands for: it holds only the store, so its voters are the members
    /// the flags name.
    /// </summary>
    public static ClusterState FromBackup(ClusterState initial, ulong localMemberId, Snapshot snapshot)
    {
        var voters = snapshot.Metadata.ConfState.Voters.ToHashSet();
        return initial with
        {
            LocalMemberId = localMemberId,
            Members = [.. initial.Members.Where(m => voters.Contains(m.Id))],
        };
    }

    private static PeerRoster ToRoster(ClusterState state) =>
        new(state.LocalMemberId, [.. state.Members.Select(m => new PeerMember(m.Id, m.Name, m.PeerUrls))], state.RemovedIds);
}
