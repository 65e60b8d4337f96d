using KvDirectory.Node.Membership;
using KvDirectory.Protocol;
using KvDirectory.Store;

namespace KvDirectory.Node.Loop;

/// <summary>Work handed to the node's thread; that thread is the only one that touches the Raft core.</summary>
internal abstract class NodeInput;

/// <summary>A store command to replicate; completed when this member applies it.</summary>
internal sealed class ProposalInput(ulong requestId, StoreCommand command, byte[] payload, long enqueuedAt) : NodeInput
{
    public ulong RequestId { get; } = requestId;

    /// <summary>The command <see cref="Payload"/> encodes when it decodes to itself (<see cref="StoreCommandCodec.DecodesToItself"/>), else null.</summary>
    public StoreCommand? Command { get; } = StoreCommandCodec.DecodesToItself(command) ? command : null;

    /// <summary>The entry data, request id and command encoded once (<c>ProposalPayload.Encode</c>).</summary>
    public byte[] Payload { get; } = payload;

    /// <summary>
    /// The command an entry with <paramref name="entryData"/> carries, without decoding: <see cref="Command"/> when the
    /// data is this proposal's own bytes (they start with its request id, so equal bytes are this very proposal). Only
    /// the member that proposed it gets it; every other member decodes the entry.
    /// </summary>
    public StoreCommand? CommandOf(ReadOnlyMemory<byte> entryData) => entryData.Span.SequenceEqual(Payload) ? Command : null;

    /// <summary>When it was queued (<see cref="NodeOptions.Time"/> timestamp): a proposal nobody waits for any more is dropped after the request timeout.</summary>
    public long EnqueuedAt { get; } = enqueuedAt;

    public TaskCompletionSource<EtcdEvent> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A linearizable read point request; completed once the read index is applied locally.</summary>
internal sealed class ReadInput : NodeInput
{
    /// <summary>A read served without the node's thread, already complete (never queued).</summary>
    public static ReadInput Served { get; } = CreateServed();

    public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static ReadInput CreateServed()
    {
        var read = new ReadInput();
        read.Completion.SetResult(true);
        return read;
    }
}

/// <summary>A Raft message a peer sent; stepped into the core on the node's thread.</summary>
internal sealed class PeerMessageInput(KvDirectory.Raft.Message message) : NodeInput
{
    public KvDirectory.Raft.Message Message { get; } = message;
}

/// <summary>What the transport learned about a peer: unreachable, or how a snapshot send ended.</summary>
internal sealed class PeerReportInput(ulong memberId, PeerReport report) : NodeInput
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
internal sealed class MembershipInput(MembershipChange change, long enqueuedAt) : NodeInput
{
    public MembershipChange Change { get; } = change;

    public long EnqueuedAt { get; } = enqueuedAt;

    /// <summary>Removing the leader: when the leadership transfer was asked for (<see cref="NodeOptions.Time"/> timestamp), 0 before.</summary>
    public long TransferRequestedAt { get; set; }

    public TaskCompletionSource<ClusterState> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A peer said this member was removed from the cluster (it missed its own removal entry).</summary>
internal sealed class RemovedNoticeInput : NodeInput;

/// <summary>A graceful stop asks the leader to hand leadership over; completed with whether it did.</summary>
internal sealed class LeadershipHandOffInput : NodeInput
{
    public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
