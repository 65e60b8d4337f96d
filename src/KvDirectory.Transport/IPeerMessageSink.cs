using KvDirectory.Raft;

namespace KvDirectory.Transport;

/// <summary>
/// Where the transport hands what it hears: the node, which queues each call for its own thread
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

/// <summary>What the node talks to its peers through; called on the node's thread, so nothing here may block.</summary>
public interface IPeerNetwork
{
    void Send(Message message);

    /// <summary>The members after an applied membership change (or snapshot): whom to dial, whom to accept, whom to refuse.</summary>
    void UpdateRoster(PeerRoster roster);
}
