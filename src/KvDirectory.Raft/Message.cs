namespace KvDirectory.Raft;

/// <summary>A Raft message; which fields matter depends on <see cref="Type"/>, as in etcd's raftpb.Message.</summary>
public sealed record Message
{
    public MessageType Type { get; init; }

    public ulong To { get; init; }

    public ulong From { get; init; }

    public ulong Term { get; init; }

    /// <summary>For MsgApp: term of the entry preceding <see cref="Entries"/>; for votes: the candidate's last term.</summary>
    public ulong LogTerm { get; init; }

    public ulong Index { get; init; }

    public IReadOnlyList<Entry> Entries { get; init; } = [];

    public ulong Commit { get; init; }

    public Snapshot? Snapshot { get; init; }

    public bool Reject { get; init; }

    public ulong RejectHint { get; init; }

    public ReadOnlyMemory<byte> Context { get; init; }

    public override string ToString() =>
        $"{From}->{To} {Type} Term:{Term} Log:{LogTerm}/{Index} Commit:{Commit}" +
        (Entries.Count > 0 ? $" Entries:{Entries.Count}" : string.Empty) +
        (Reject ? $" Rejected (Hint: {RejectHint})" : string.Empty) +
        (Snapshot is { IsEmpty: false } s ? $" Snapshot:{s.Metadata.Index}/{s.Metadata.Term}" : string.Empty);
}
