using KvDirectory.Raft;

namespace KvDirectory.Server.Cluster;

/// <summary>
/// Where the transport hands what it hears: the node driver, which queues each call for its own thread
/// (the Raft core is only ever touched there). Calls come from transport threads and must not block.
/// </summary>
public interface IPeerMessageSink
{
    void DeliverPeerMessage(Message message);

    void ReportPeerUnreachable(ulong memberId);

    void ReportSnapshotStatus(ulong memberId, bool succeeded);

    /// <summary>A peer refused us because this member was removed from the cluster (while it was down or cut off).</summary>
    void ReportRemovedFromCluster()
    {
    }
}

/// <summary>What the node driver sends through; called on the driver thread, so it must not block.</summary>
public interface IPeerMessageSender
{
    void Send(Message message);
}

/// <summary>Told by the node driver, on its thread, whenever an applied membership change (or snapshot) changed the member list.</summary>
public interface IMembershipListener
{
    void MembershipChanged(ClusterState state);
}
