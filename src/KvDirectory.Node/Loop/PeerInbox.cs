using KvDirectory.Raft;
using KvDirectory.Transport;

namespace KvDirectory.Node.Loop;

/// <summary>What the transport hears, queued for the node's thread (the Raft core is only ever touched there).</summary>
internal sealed class PeerInbox(NodeInbox inbox) : IPeerMessageSink
{
    public void DeliverPeerMessage(Message message) => inbox.TryEnqueue(new PeerMessageInput(message));

    public void ReportPeerUnreachable(ulong memberId) => inbox.TryEnqueue(new PeerReportInput(memberId, PeerReport.Unreachable));

    public void ReportRemovedFromCluster() => inbox.TryEnqueue(new RemovedNoticeInput());

    public void ReportSnapshotStatus(ulong memberId, bool succeeded) =>
        inbox.TryEnqueue(new PeerReportInput(memberId, succeeded ? PeerReport.SnapshotSucceeded : PeerReport.SnapshotFailed));
}
