namespace KvDirectory.Raft;

/// <summary>
/// The stable log as the Raft core reads it. Everything returned must already be durable; the core
/// never writes through this interface (the driver persists <see cref="Ready"/> contents itself).
/// </summary>
public interface IRaftStorage
{
    /// <summary>The persisted hard state and the membership of the latest snapshot or applied conf change.</summary>
    (HardState HardState, ConfState ConfState) InitialState();

    /// <summary>
    /// Entries in [lo, hi). At least one entry is returned when the range is non-empty, even if it
    /// exceeds <paramref name="maxBytes"/>. Throws <see cref="LogCompactedException"/> below
    /// <see cref="FirstIndex"/> and <see cref="EntryUnavailableException"/> beyond <see cref="LastIndex"/>.
    /// </summary>
    IReadOnlyList<Entry> Entries(ulong lo, ulong hi, ulong maxBytes);

    /// <summary>The term of entry <paramref name="index"/>; valid for [FirstIndex-1, LastIndex].</summary>
    ulong Term(ulong index);

    /// <summary>The index of the first entry still available (the snapshot index + 1).</summary>
    ulong FirstIndex();

    ulong LastIndex();

    /// <summary>The most recent snapshot; may throw <see cref="SnapshotTemporarilyUnavailableException"/>.</summary>
    Snapshot Snapshot();
}
