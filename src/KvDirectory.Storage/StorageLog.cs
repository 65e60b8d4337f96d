using Microsoft.Extensions.Logging;

namespace KvDirectory.Storage;

/// <summary>Log events of the storage layer. Event ids are stable (4000–4099): dashboards and alerts key on them.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "WAL torn tail repaired: {File} truncated at offset {Offset}, {DroppedBytes} bytes dropped ({Reason})")]
    public static partial void WalTailRepaired(this ILogger logger, string file, long offset, long droppedBytes, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information,
        Message = "WAL opened in {Directory}: {Segments} segments, {Entries} entries after index {ReplayedAfter}, last index {LastIndex}")]
    public static partial void WalOpened(this ILogger logger, string directory, int segments, int entries, ulong replayedAfter, ulong lastIndex);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "WAL segment {File} started")]
    public static partial void WalSegmentCut(this ILogger logger, string file);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "WAL segment {File} released (covered by the snapshot at index {Index})")]
    public static partial void WalSegmentReleased(this ILogger logger, string file, ulong index);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "WAL removed {File}, a segment whose creation did not finish")]
    public static partial void WalTemporaryRemoved(this ILogger logger, string file);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "WAL write failed; the log refuses further writes")]
    public static partial void WalWriteFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information,
        Message = "Snapshot at index {Index} term {Term} saved ({Bytes} bytes, crc32c {Checksum:x8})")]
    public static partial void SnapshotSaved(this ILogger logger, ulong index, ulong term, long bytes, uint checksum);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning,
        Message = "Snapshot at index {Index} term {Term} failed its integrity check ({Reason}); falling back to an older snapshot")]
    public static partial void SnapshotCorrupted(this ILogger logger, ulong index, ulong term, string reason);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Warning,
        Message = "Snapshot at index {Index} was never completed (crash during save); its partial data was removed")]
    public static partial void SnapshotIncompleteRemoved(this ILogger logger, ulong index);

    [LoggerMessage(EventId = 4023, Level = LogLevel.Information, Message = "Snapshot at index {Index} removed by retention")]
    public static partial void SnapshotPruned(this ILogger logger, ulong index);

    [LoggerMessage(EventId = 4024, Level = LogLevel.Warning,
        Message = "Moved {Count} snapshots from the LiteDB database {Path} of an earlier version into snapshot files, and deleted the database")]
    public static partial void SnapshotsMovedFromLiteDb(this ILogger logger, int count, string path);

    [LoggerMessage(EventId = 4040, Level = LogLevel.Information,
        Message = "Raft storage recovered: snapshot index {SnapshotIndex}, entries {FirstIndex}..{LastIndex}, hard state term {Term} commit {Commit}")]
    public static partial void RaftStorageRecovered(this ILogger logger, ulong snapshotIndex, ulong firstIndex, ulong lastIndex, ulong term, ulong commit);
}
