using KvDirectory.Protocol;
using KvDirectory.Server.Cluster;

namespace KvDirectory.Server.Node;

/// <summary>Work handed to the driver thread; the thread is the only one that touches the Raft core.</summary>
internal abstract class DriverInput;

/// <summary>A store command to replicate; completed when this member applies it.</summary>
internal sealed class ProposalInput(ulong requestId, byte[] command, long enqueuedAt) : DriverInput
{
    public ulong RequestId { get; } = requestId;

    public byte[] Command { get; } = command;

    /// <summary>When it was queued (Stopwatch ticks): a proposal nobody waits for any more is dropped after the request timeout.</summary>
    public long EnqueuedAt { get; } = enqueuedAt;

    public TaskCompletionSource<EtcdEvent> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A linearizable read point request; completed once the read index is applied locally.</summary>
internal sealed class ReadInput(ulong requestId) : DriverInput
{
    public ulong RequestId { get; } = requestId;

    public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A Raft message a peer sent; stepped into the core on the driver thread.</summary>
internal sealed class PeerMessageInput(KvDirectory.Raft.Message message) : DriverInput
{
    public KvDirectory.Raft.Message Message { get; } = message;
}

/// <summary>What the transport learned about a peer: unreachable, or how a snapshot send ended.</summary>
internal sealed class PeerReportInput(ulong memberId, PeerReport report) : DriverInput
{
    public ulong MemberId { get; } = memberId;

    public PeerReport Report { get; } = report;
}

internal enum PeerReport
{
    Unreachable,
    SnapshotSucceeded,
    SnapshotFailed,
}

/// <summary>A membership change to propose as a conf change entry; completed with the member list once applied here.</summary>
internal sealed class MembershipInput(MembershipChange change, long enqueuedAt) : DriverInput
{
    public MembershipChange Change { get; } = change;

    public long EnqueuedAt { get; } = enqueuedAt;

    /// <summary>Removing the leader: when the leadership transfer was asked for (Stopwatch ticks), 0 before.</summary>
    public long TransferRequestedAt { get; set; }

    public TaskCompletionSource<ClusterState> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A peer said this member was removed from the cluster (it missed its own removal entry).</summary>
internal sealed class RemovedNoticeInput : DriverInput;

/// <summary>A graceful stop asks the leader to hand leadership over; completed with whether it did.</summary>
internal sealed class LeadershipHandOffInput : DriverInput
{
    public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
