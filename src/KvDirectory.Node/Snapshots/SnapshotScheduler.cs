using KvDirectory.Node.Membership;
using KvDirectory.Node.Metrics;
using KvDirectory.Raft;
using KvDirectory.Storage;
using KvDirectory.Store;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Node.Snapshots;

/// <summary>
/// Every <c>--snapshot-count</c> applied entries the store is captured on the node's thread in O(1) (a copy-on-write
/// view, <see cref="V2Store.TryCaptureSnapshot"/>) and everything else happens in the background
/// (<see cref="NodeOptions.BackgroundScheduler"/>): serialising the tree and the member list, the snapshot file, WAL
/// marker, log compaction and segment release. Serialising a million keys on the node's thread stalled every write for
/// the whole time. Also installs a snapshot the leader sent.
/// </summary>
internal sealed partial class SnapshotScheduler(
    DurableRaftStorage storage,
    V2Store store,
    MemberList members,
    NodeOptions options,
    ulong localMemberId,
    NodeMetrics metrics,
    ILogger logger)
{
    private ulong _lastSnapshotIndex;
    private Task _inFlight = Task.CompletedTask;

    public void Reset(ulong snapshotIndex) => _lastSnapshotIndex = snapshotIndex;

    public void MaybeSnapshot(ulong applied, ConfState confState)
    {
        if (applied - _lastSnapshotIndex < (ulong)options.SnapshotCount || !_inFlight.IsCompleted)
        {
            return;
        }

        var started = options.Time.GetTimestamp();
        if (store.TryCaptureSnapshot() is not { } tree)
        {
            // A backup is still serialising its capture. The next tick or applied entry asks again, and the next
            // backup lets this capture go first (V2Store.CaptureSnapshotAsync), so backups cannot starve it.
            return;
        }

        var replicated = members.Replicated;
        metrics.SnapshotCaptureDuration.Observe(options.Time.GetElapsedTime(started));
        _lastSnapshotIndex = applied;
        // HideScheduler: anything the save starts itself goes to the default scheduler, never to a simulation's.
        _inFlight = Task.Factory.StartNew(
            () => Save(applied, confState, replicated, tree, started),
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach | TaskCreationOptions.HideScheduler,
            options.BackgroundScheduler);
    }

    /// <summary>A snapshot from the leader replaces the store, the member list and the log before it.</summary>
    public void Install(Snapshot snapshot)
    {
        _inFlight.Wait();
        var (replicated, storeBytes) = ClusterSnapshotFormat.Read(snapshot.Data, localMemberId);
        storage.ApplySnapshot(snapshot);
        store.RestoreSnapshot(storeBytes.Span);
        if (replicated is not null)
        {
            members.Replace(replicated);
        }

        _lastSnapshotIndex = snapshot.Metadata.Index;
    }

    /// <summary>Waits for a save in progress (before the files close).</summary>
    public void WaitForSave() => _inFlight.Wait();

    private void Save(ulong index, ConfState confState, ClusterState replicated, TreeCapture tree, long started)
    {
        try
        {
            var data = ClusterSnapshotFormat.Write(replicated, tree);
            storage.CreateSnapshot(index, confState, data);
            var keep = (ulong)options.SnapshotCatchUpEntries;
            var compactTo = index > keep ? index - keep : 0;
            if (compactTo > storage.FirstIndex())
            {
                storage.Compact(compactTo);
            }

            var elapsed = options.Time.GetElapsedTime(started);
            metrics.SnapshotSaveDuration.Observe(elapsed);
            LogSnapshotSaved(logger, index, data.Length, (long)elapsed.TotalMilliseconds, compactTo);
        }
        catch (Exception error)
        {
            // Nothing is lost: the WAL still holds every entry; the next snapshot is tried after --snapshot-count more.
            LogSnapshotFailed(logger, index, error);
        }
    }

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Snapshot saved at index {Index} ({Bytes} bytes, {Milliseconds} ms); log compacted up to {CompactIndex}")]
    private static partial void LogSnapshotSaved(ILogger logger, ulong index, int bytes, long milliseconds, ulong compactIndex);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "Saving the snapshot at index {Index} failed; the write-ahead log still holds everything")]
    private static partial void LogSnapshotFailed(ILogger logger, ulong index, Exception error);
}
