using System.Runtime.InteropServices;
using KvDirectory.Raft;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Storage;

/// <summary>
/// The Raft core's stable storage on disk: every append goes to the write-ahead log (fsync) before the
/// in-memory copy the core reads from is updated, and snapshots go to the snapshot store before the
/// WAL marks them. Reopening after a crash gives back exactly what was acknowledged.
/// The in-memory copy keeps a snapshot's metadata only: its data (tens of MB for a million keys) is read back from
/// the snapshot store when the core asks for it to send to a lagging follower, the only use it has.
/// </summary>
public sealed class DurableRaftStorage : IRaftStorage, IDisposable
{
    private readonly WriteAheadLog _wal;
    private readonly SnapshotStore _snapshots;
    private readonly MemoryRaftStorage _cache;
    private readonly EntryPayloadArena _payloads = new();
    private readonly Lock _snapshotGate = new();

    /// <summary>The snapshot last read back for a follower: a second follower catching up at once reuses it while it lives.</summary>
    private readonly WeakReference<Snapshot?> _lastLoaded = new(null);

    private DurableRaftStorage(WriteAheadLog wal, SnapshotStore snapshots, MemoryRaftStorage cache, WalRecoveryResult recovery, Snapshot recovered)
    {
        _wal = wal;
        _snapshots = snapshots;
        _cache = cache;
        Recovery = recovery;
        RecoveredSnapshot = recovered;
    }

    /// <summary>What the WAL held at open (hard state, entries, metadata, any torn tail repaired).</summary>
    public WalRecoveryResult Recovery { get; }

    /// <summary>
    /// The snapshot the application state must be restored from before applying entries (empty if none); its data
    /// only until <see cref="ReleaseRecoveredData"/>.
    /// </summary>
    public Snapshot RecoveredSnapshot { get; private set; }

    /// <summary>The cluster identity bytes last saved with <see cref="SaveMetadata"/>.</summary>
    public ReadOnlyMemory<byte> Metadata => Recovery.Metadata;

    public WriteAheadLog Wal => _wal;

    /// <summary>The snapshot store, e.g. to stream the latest snapshot to a backup client.</summary>
    public SnapshotStore Snapshots => _snapshots;

    /// <summary>
    /// Opens the storage of <paramref name="dataDirectory"/> (member/wal and member/snap),
    /// loading the newest good snapshot and replaying the WAL after it. <paramref name="bootstrap"/> is the
    /// initial membership of a brand-new member; it is stored and ignored on later starts.
    /// </summary>
    public static DurableRaftStorage Open(string dataDirectory, DurableStorageOptions? options = null, ILogger? logger = null,
        ConfState? bootstrap = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        options ??= DurableStorageOptions.Default;
        logger ??= NullLogger.Instance;
        var walOptions = options.Wal with { FileSystem = options.FileSystem };
        var snapshotOptions = options.Snapshots with { FileSystem = options.FileSystem };
        var snapshots = SnapshotStore.Open(DurableStorageOptions.SnapshotDirectory(dataDirectory), snapshotOptions, logger);
        WriteAheadLog? wal = null;
        try
        {
            var snapshot = snapshots.LoadLatest();
            if (snapshot is null && bootstrap is not null && !options.FileSystem.DirectoryExists(DurableStorageOptions.WalDirectory(dataDirectory)))
            {
                // A snapshot at index 0 carrying only the membership: later starts find the initial cluster here.
                var initial = new SnapshotMetadata(0, 0, bootstrap);
                snapshots.Save(initial, Stream.Null);
                snapshot = new Snapshot(initial, ReadOnlyMemory<byte>.Empty);
            }
            var snapshotIndex = snapshot?.Metadata.Index ?? 0;
            (wal, var recovery) = WriteAheadLog.Open(DurableStorageOptions.WalDirectory(dataDirectory), walOptions, logger, snapshotIndex);

            if (snapshot is not null && recovery.Snapshot.Index == snapshotIndex && snapshotIndex > 0 && recovery.Snapshot.Term != snapshot.Metadata.Term)
            {
                // The store and the log disagree about history at the snapshot point: they belong to different logs.
                throw new WalCorruptedException(
                    $"snapshot at index {snapshotIndex} has term {snapshot.Metadata.Term} but the write-ahead log recorded term {recovery.Snapshot.Term}");
            }
            var cache = snapshot is null ? new MemoryRaftStorage() : new MemoryRaftStorage(snapshot.Metadata.ConfState);
            if (snapshot is { IsEmpty: false }) cache.ApplySnapshot(MetadataOnly(snapshot));
            if (recovery.Entries.Count == 0 && wal.LastIndex < snapshotIndex)
            {
                // A snapshot newer than anything the WAL knows (a restored backup, or a lost WAL): appends continue after it.
                wal.SaveSnapshotMarker(snapshotIndex, snapshot!.Metadata.Term, resetsLog: true);
            }
            else if (recovery.Entries.Count == 0 && wal.LastIndex > snapshotIndex)
            {
                throw new WalCorruptedException(
                    $"the write-ahead log continues after index {wal.LastIndex} but the newest usable snapshot is at {snapshotIndex} and no entries connect them");
            }
            // A snapshot holds applied, hence committed, entries; the commit index in the WAL may be older when the power
            // failed after the snapshot was saved but before the commit-only hard state that preceded it (written without
            // an fsync of its own, MustSync) reached the disk. The core refuses a commit behind its snapshot.
            var hardState = recovery.HardState;
            if (hardState.Commit < snapshotIndex) hardState = hardState with { Commit = snapshotIndex };
            cache.SetHardState(hardState);
            cache.Append(recovery.Entries);
            logger.RaftStorageRecovered(snapshotIndex, cache.FirstIndex(), cache.LastIndex(), recovery.HardState.Term, recovery.HardState.Commit);
            return new DurableRaftStorage(wal, snapshots, cache, recovery, snapshot ?? Raft.Snapshot.Empty);
        }
        catch
        {
            wal?.Dispose();
            snapshots.Dispose();
            throw;
        }
    }

    public (HardState HardState, ConfState ConfState) InitialState() => _cache.InitialState();

    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, ulong maxBytes) => _cache.Entries(lo, hi, maxBytes);

    public ulong Term(ulong index) => _cache.Term(index);

    public ulong FirstIndex() => _cache.FirstIndex();

    public ulong LastIndex() => _cache.LastIndex();

    /// <summary>
    /// The newest snapshot with its data, read from the snapshot store (the node's thread waits for the read; the
    /// leader asks only when a follower needs a snapshot). A save racing the read may hand out a newer one, which is as
    /// good; if the store cannot give one as new as the log's, the core is told to try again later.
    /// </summary>
    public Snapshot Snapshot()
    {
        var current = _cache.Snapshot();
        if (current.IsEmpty) return current;
        if (_lastLoaded.TryGetTarget(out var loaded) && loaded.Metadata.Index >= current.Metadata.Index) return loaded;
        loaded = _snapshots.LoadLatest();
        if (loaded is null || loaded.Metadata.Index < current.Metadata.Index) throw new SnapshotTemporarilyUnavailableException();
        _lastLoaded.SetTarget(loaded);
        return loaded;
    }

    /// <summary>Drops the recovered snapshot's data once the application state has been restored from it.</summary>
    public void ReleaseRecoveredData() => RecoveredSnapshot = MetadataOnly(RecoveredSnapshot);

    /// <summary>
    /// Persists a Ready's hard state and entries (one fsync), then makes them visible to the core.
    /// Entries overlapping the log replace it from their first index. <paramref name="mustSync"/> is the Ready's
    /// <c>MustSync</c>: a Ready that only moves the commit index is written without an fsync of its own (a lost
    /// commit index is learned again from the leader), as etcd does.
    /// </summary>
    public void Append(HardState? hardState, IReadOnlyList<Entry> entries, bool mustSync = true)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _wal.Append(hardState, entries, () => UpdateCache(hardState, entries), mustSync);
    }

    /// <summary>
    /// As <see cref="Append"/>, group-committed with concurrent appends. Completes once durable; the
    /// in-memory log is updated in the order the appends were made.
    /// </summary>
    public Task AppendAsync(HardState? hardState, IReadOnlyList<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return _wal.AppendAsync(hardState, entries, () => UpdateCache(hardState, entries));
    }

    /// <summary>Installs a snapshot received from the leader: stored, marked in the WAL (replacing the log), then visible.</summary>
    public void ApplySnapshot(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_snapshotGate)
        {
            var current = _cache.Snapshot();
            if (!current.IsEmpty && snapshot.Metadata.Index <= current.Metadata.Index) throw new SnapshotOutOfDateException();
            _snapshots.Save(snapshot.Metadata, AsStream(snapshot.Data));
            _wal.SaveSnapshotMarker(snapshot.Metadata.Index, snapshot.Metadata.Term, resetsLog: true);
            _cache.ApplySnapshot(MetadataOnly(snapshot));
            ReleaseWal();
        }
    }

    /// <summary>
    /// Records a snapshot of the applied state as of <paramref name="index"/>: stored first, then marked
    /// in the WAL, then released WAL segments are deleted. The log is not compacted (see <see cref="Compact"/>).
    /// </summary>
    public Snapshot CreateSnapshot(ulong index, ConfState? confState, ReadOnlyMemory<byte> data)
    {
        lock (_snapshotGate)
        {
            if (index <= _cache.Snapshot().Metadata.Index) throw new SnapshotOutOfDateException();
            if (index > _cache.LastIndex())
                throw new ArgumentOutOfRangeException(nameof(index), index, $"beyond last index {_cache.LastIndex()}");
            var term = _cache.Term(index);
            var metadata = new SnapshotMetadata(index, term, confState ?? _cache.InitialState().ConfState);
            _snapshots.Save(metadata, AsStream(data));
            _wal.SaveSnapshotMarker(index, term);
            _cache.CreateSnapshot(index, metadata.ConfState, ReadOnlyMemory<byte>.Empty);
            ReleaseWal();
            return new Snapshot(metadata, data);
        }
    }

    /// <summary>Discards in-memory entries up to and including <paramref name="compactIndex"/> (they stay in the WAL until released).</summary>
    public void Compact(ulong compactIndex) => _cache.Compact(compactIndex);

    /// <summary>Records the membership produced by applying committed conf changes.</summary>
    public void SetConfState(ConfState confState) => _cache.SetConfState(confState);

    /// <summary>Saves the cluster identity bytes (durable on return).</summary>
    public void SaveMetadata(ReadOnlySpan<byte> metadata) => _wal.SaveMetadata(metadata);

    public void Dispose()
    {
        _wal.Dispose();
        _snapshots.Dispose();
    }

    private void UpdateCache(HardState? hardState, IReadOnlyList<Entry> entries)
    {
        _cache.Append(_payloads.Pack(entries));
        if (hardState is { } state) _cache.SetHardState(state);
    }

    /// <summary>
    /// WAL segments are released up to the second-newest snapshot, not the newest, so that if the newest
    /// proves corrupt at the next start the fallback snapshot still finds the entries that follow it.
    /// </summary>
    private void ReleaseWal()
    {
        var kept = _snapshots.List();
        if (kept.Count == 0) return;
        _wal.ReleaseBefore(kept.Count >= 2 ? kept[1].Index : kept[0].Index);
    }

    private static Snapshot MetadataOnly(Snapshot snapshot) => snapshot with { Data = ReadOnlyMemory<byte>.Empty };

    private static MemoryStream AsStream(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
}
