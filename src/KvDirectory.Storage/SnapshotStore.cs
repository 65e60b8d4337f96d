using KvDirectory.Raft;
using KvDirectory.Storage.FileSystem;
using LiteDB;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Storage;

/// <summary>
/// Snapshots of the application state in one LiteDB file. Data is stored in chunks (LiteDB file
/// storage), never as one huge document, and streamed in and out. A snapshot becomes visible only
/// once its data is written and its metadata document is marked complete, so a crash mid-save leaves
/// the previous snapshot as the latest. A CRC-32C of the data is checked before a snapshot is handed out.
/// </summary>
public sealed class SnapshotStore : IDisposable
{
    private const string MetadataCollection = "snapshots";
    private const string FilesCollection = "snapshot_files";
    private const string ChunksCollection = "snapshot_chunks";

    private readonly LiteDatabase _database;
    private readonly Stream _data;
    private readonly Stream _log;
    private readonly IDisposable _fileLock;
    private readonly ILiteCollection<BsonDocument> _snapshots;
    private readonly ILiteStorage<string> _files;
    private readonly SnapshotStoreOptions _options;
    private readonly ILogger _logger;

    private SnapshotStore(LiteDatabase database, (Stream Data, Stream Log) streams, IDisposable fileLock, SnapshotStoreOptions options, ILogger logger)
    {
        _database = database;
        (_data, _log) = streams;
        _fileLock = fileLock;
        _options = options;
        _logger = logger;
        _snapshots = database.GetCollection(MetadataCollection, BsonAutoId.Int64);
        _snapshots.EnsureIndex("index");
        _files = database.GetStorage<string>(FilesCollection, ChunksCollection);
    }

    /// <summary>The database, for tests that damage it on purpose.</summary>
    internal LiteDatabase Database => _database;

    /// <summary>
    /// Opens (or creates) the database file and removes the remains of any save a crash interrupted. The database
    /// and LiteDB's own log file (<c>name-log.db</c>, beside it) are opened through <see cref="SnapshotStoreOptions.FileSystem"/>,
    /// so LiteDB's commits and checkpoints are fsyncs of that file system (a simulated disk can cut the power under them).
    /// </summary>
    public static SnapshotStore Open(string path, SnapshotStoreOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= SnapshotStoreOptions.Default;
        var fileSystem = options.FileSystem;
        path = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(path)!;
        fileSystem.CreateDirectory(directory);
        // This process owns the files exclusively, which is also what keeps a second server off them.
        var fileLock = LockFiles(fileSystem, path);
        var opened = new List<IDisposable> { fileLock };
        try
        {
            var data = new StorageFileStream(OpenOrCreate(fileSystem, path));
            opened.Add(data);
            var log = new StorageFileStream(OpenOrCreate(fileSystem, Path.Combine(directory, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path))));
            opened.Add(log);
            var database = new LiteDatabase(data, logStream: log);
            opened.Add(database);
            var store = new SnapshotStore(database, (data, log), fileLock, options, logger ?? NullLogger.Instance);
            store.RemoveIncomplete();
            return store;
        }
        catch
        {
            for (var i = opened.Count - 1; i >= 0; i--) opened[i].Dispose();
            throw;
        }
    }

    /// <summary>Stores a snapshot read from <paramref name="data"/>, then applies retention.</summary>
    public Task<SnapshotInfo> SaveAsync(SnapshotMetadata metadata, Stream data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(data);
        return Task.Run(() => Save(metadata, data, cancellationToken), cancellationToken);
    }

    /// <summary>Synchronous <see cref="SaveAsync"/>: LiteDB itself is synchronous.</summary>
    public SnapshotInfo Save(SnapshotMetadata metadata, Stream data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(data);
        var id = BeginSave(metadata);
        try
        {
            var (length, checksum) = WriteData(id, data, cancellationToken);
            var info = CompleteSave(id, metadata, length, checksum);
            _logger.SnapshotSaved(metadata.Index, metadata.Term, length, checksum);
            Prune();
            return info;
        }
        catch
        {
            try
            {
                TryRemove(id);
            }
            catch (LiteException)
            {
                // The half-written snapshot stays incomplete and is removed on the next open; the original error matters more.
            }
            throw;
        }
    }

    /// <summary>The newest complete snapshot whose data passes its checksum, opened for streaming; null if none.</summary>
    public StoredSnapshot? OpenLatest()
    {
        foreach (var info in ListWithIds())
        {
            if (!Verify(info.Id, info.Info)) continue;
            return new StoredSnapshot(info.Info, _files.OpenRead(FileId(info.Id)));
        }
        return null;
    }

    /// <summary>The newest good snapshot read fully into memory (what the Raft core holds); null if none.</summary>
    public Snapshot? LoadLatest()
    {
        foreach (var info in ListWithIds())
        {
            var buffer = new MemoryStream(checked((int)Math.Max(0, info.Info.Length)));
            string? problem;
            try
            {
                using var stream = _files.OpenRead(FileId(info.Id));
                stream.CopyTo(buffer);
                problem = Check(info.Info, buffer.Length, Crc32C.Compute(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
            }
            catch (Exception ex) when (ex is LiteException or IOException or InvalidOperationException)
            {
                problem = ex.Message;
            }
            if (problem is null) return new Snapshot(info.Info.Metadata, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
            _logger.SnapshotCorrupted(info.Info.Index, info.Info.Term, problem);
        }
        return null;
    }

    /// <summary>Complete snapshots, newest first (their data is not verified here).</summary>
    public IReadOnlyList<SnapshotInfo> List() => ListWithIds().Select(s => s.Info).ToArray();

    public void Dispose()
    {
        _database.Dispose();
        // LiteDB leaves streams it was handed open.
        _log.Dispose();
        _data.Dispose();
        _fileLock.Dispose();
    }

    /// <summary>Step 1 of a save: the metadata document, not yet complete, so a crash after it is recognisable.</summary>
    internal long BeginSave(SnapshotMetadata metadata)
    {
        var document = new BsonDocument
        {
            ["index"] = unchecked((long)metadata.Index),
            ["term"] = unchecked((long)metadata.Term),
            ["voters"] = new BsonArray(metadata.ConfState.Voters.Select(v => new BsonValue(unchecked((long)v)))),
            ["learners"] = new BsonArray(metadata.ConfState.Learners.Select(v => new BsonValue(unchecked((long)v)))),
            ["complete"] = false,
        };
        return _snapshots.Insert(document).AsInt64;
    }

    /// <summary>Step 2: the data, in chunks, hashed on the way in.</summary>
    internal (long Length, uint Checksum) WriteData(long id, Stream data, CancellationToken cancellationToken)
    {
        using var hashing = new ChecksumReadStream(data, cancellationToken);
        _files.Upload(FileId(id), FileId(id) + ".snap", hashing);
        return (hashing.BytesRead, hashing.Checksum);
    }

    /// <summary>Step 3: only now does the snapshot count.</summary>
    internal SnapshotInfo CompleteSave(long id, SnapshotMetadata metadata, long length, uint checksum)
    {
        var document = _snapshots.FindById(id) ?? throw new InvalidOperationException($"snapshot document {id} vanished during save");
        var savedAt = DateTime.UtcNow;
        document["length"] = length;
        document["checksum"] = (long)checksum;
        document["savedAt"] = savedAt;
        document["complete"] = true;
        _snapshots.Update(document);
        _database.Checkpoint();
        return new SnapshotInfo(metadata, length, checksum, savedAt);
    }

    private static string FileId(long id) => $"snap-{id:x16}";

    private static IDisposable LockFiles(IStorageFileSystem fileSystem, string path)
    {
        try
        {
            return fileSystem.Lock(path + ".lock");
        }
        catch (IOException ex)
        {
            throw new IOException($"snapshot store {path} is in use by another process or instance", ex);
        }
    }

    /// <summary>A file created here is made durable by name at once (its directory fsynced), as LiteDB cannot ask for it.</summary>
    private static IStorageFile OpenOrCreate(IStorageFileSystem fileSystem, string path)
    {
        if (fileSystem.ListFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path)).Contains(path, StringComparer.Ordinal))
        {
            return fileSystem.Open(path, createNew: false);
        }

        var file = fileSystem.Open(path, createNew: true);
        fileSystem.SyncDirectory(Path.GetDirectoryName(path)!);
        return file;
    }

    private List<(long Id, SnapshotInfo Info)> ListWithIds()
    {
        var result = new List<(long, SnapshotInfo)>();
        foreach (var document in _snapshots.Find(Query.EQ("complete", true)))
        {
            var metadata = new SnapshotMetadata(
                unchecked((ulong)document["index"].AsInt64),
                unchecked((ulong)document["term"].AsInt64),
                new ConfState(
                    document["voters"].AsArray.Select(v => unchecked((ulong)v.AsInt64)),
                    document["learners"].AsArray.Select(v => unchecked((ulong)v.AsInt64))));
            var info = new SnapshotInfo(metadata, document["length"].AsInt64, unchecked((uint)document["checksum"].AsInt64),
                document["savedAt"].AsDateTime);
            result.Add((document["_id"].AsInt64, info));
        }
        // Newest first: by log position, and by save order for two snapshots at one index.
        result.Sort((a, b) => b.Item2.Index != a.Item2.Index ? b.Item2.Index.CompareTo(a.Item2.Index) : b.Item1.CompareTo(a.Item1));
        return result;
    }

    private bool Verify(long id, SnapshotInfo info)
    {
        string? problem;
        try
        {
            using var stream = _files.OpenRead(FileId(id));
            using var hashing = new ChecksumReadStream(stream, CancellationToken.None);
            hashing.CopyTo(Stream.Null);
            problem = Check(info, hashing.BytesRead, hashing.Checksum);
        }
        catch (Exception ex) when (ex is LiteException or IOException or InvalidOperationException)
        {
            problem = ex.Message;
        }
        if (problem is null) return true;
        _logger.SnapshotCorrupted(info.Index, info.Term, problem);
        return false;
    }

    private static string? Check(SnapshotInfo info, long length, uint checksum)
    {
        if (length != info.Length) return $"length {length}, expected {info.Length}";
        if (checksum != info.Checksum) return $"crc32c {checksum:x8}, expected {info.Checksum:x8}";
        return null;
    }

    private void Prune()
    {
        if (_options.MaxSnapshots <= 0) return;
        var pruned = false;
        foreach (var (id, info) in ListWithIds().Skip(_options.MaxSnapshots))
        {
            TryRemove(id);
            _logger.SnapshotPruned(info.Index);
            pruned = true;
        }

        Quiesce(pruned);
    }

    /// <summary>
    /// LiteDB writes a commit's log pages on a thread of its own; a checkpoint waits for them. Done before a save or
    /// an open returns, so no write of ours is still under way when the caller goes on (or the process stops).
    /// </summary>
    private void Quiesce(bool wrote)
    {
        if (wrote) _database.Checkpoint();
    }

    private void RemoveIncomplete()
    {
        var removed = false;
        foreach (var document in _snapshots.Find(Query.EQ("complete", false)).ToList())
        {
            var id = document["_id"].AsInt64;
            TryRemove(id);
            _logger.SnapshotIncompleteRemoved(unchecked((ulong)document["index"].AsInt64));
            removed = true;
        }

        Quiesce(removed);
    }

    private void TryRemove(long id)
    {
        // Demote, then drop data, then the document: a crash at any step leaves an incomplete document
        // that the next open cleans up, never a "complete" snapshot without data or data nobody owns.
        var document = _snapshots.FindById(id);
        if (document is not null && document["complete"].AsBoolean)
        {
            document["complete"] = false;
            _snapshots.Update(document);
        }
        _files.Delete(FileId(id));
        // LiteDB deletes chunks only with their file document, which an interrupted upload never wrote;
        // left behind, they collide with the next save that reuses this id.
        _database.GetCollection(ChunksCollection).DeleteMany("_id.f = @0", FileId(id));
        _snapshots.Delete(id);
    }
}
