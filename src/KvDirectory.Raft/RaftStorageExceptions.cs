namespace KvDirectory.Raft;

/// <summary>A storage request could not be satisfied because of where the log currently starts or ends.</summary>
public abstract class RaftStorageException(string message) : Exception(message);

/// <summary>The requested index is at or below the last compaction point.</summary>
public sealed class LogCompactedException() : RaftStorageException("requested index is unavailable due to compaction");

/// <summary>The requested index is beyond the last stored entry.</summary>
public sealed class EntryUnavailableException() : RaftStorageException("requested entry at index is unavailable");

/// <summary>A snapshot older than the one already held was offered.</summary>
public sealed class SnapshotOutOfDateException() : RaftStorageException("requested index is older than the existing snapshot");

/// <summary>The snapshot is being produced; the leader should retry later.</summary>
public sealed class SnapshotTemporarilyUnavailableException() : RaftStorageException("snapshot is temporarily unavailable");
