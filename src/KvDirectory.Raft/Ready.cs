namespace KvDirectory.Raft;

/// <summary>
/// A batch of work for the driver. Process it in this order: persist <see cref="HardState"/>,
/// <see cref="Entries"/> and <see cref="Snapshot"/>; send <see cref="Messages"/>; apply the snapshot
/// and <see cref="CommittedEntries"/>; then call RawNode.Advance.
/// </summary>
public sealed class Ready
{
    /// <summary>Set only when it changed since the previous Ready.</summary>
    public SoftState? SoftState { get; init; }

    /// <summary>Set only when it changed since the previous Ready; persist before sending messages.</summary>
    public HardState? HardState { get; init; }

    /// <summary>Linearizable-read answers produced since the previous Ready.</summary>
    public IReadOnlyList<ReadState> ReadStates { get; init; } = [];

    /// <summary>Entries to append to stable storage before sending messages.</summary>
    public IReadOnlyList<Entry> Entries { get; init; } = [];

    /// <summary>A snapshot to persist and apply; null when there is none.</summary>
    public Snapshot? Snapshot { get; init; }

    /// <summary>Entries known committed and safe to apply to the state machine, in order.</summary>
    public IReadOnlyList<Entry> CommittedEntries { get; init; } = [];

    /// <summary>Messages to send once the entries and hard state above are durable.</summary>
    public IReadOnlyList<Message> Messages { get; init; } = [];

    /// <summary>Whether the HardState must be fsynced before messages go out.</summary>
    public bool MustSync { get; init; }
}
