using KvDirectory.Raft;
using KvDirectory.Storage.FileSystem;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Storage;

/// <summary>
/// The LiteDB database (<c>snapshots.db</c> and its log <c>snapshots-log.db</c>) in which versions before snapshot
/// files kept their snapshots: a metadata document per snapshot, marked complete once its data (LiteDB file storage, in
/// chunks) was written. Read once, by <see cref="SnapshotStore"/>, to move them into files.
/// </summary>
internal sealed class LegacySnapshotDatabase : IDisposable
{
    public const string FileName = "snapshots.db";
    private const string LogFileName = "snapshots-log.db";

    private readonly LiteDatabase _database;
    private readonly Stream _data;
    private readonly Stream _log;

    private LegacySnapshotDatabase(LiteDatabase database, Stream data, Stream log)
    {
        _database = database;
        _data = data;
        _log = log;
    }

    /// <summary>The database's files (and the lock file that version kept beside them) in <paramref name="directory"/>.</summary>
    public static IEnumerable<string> Files(string directory) =>
        [Path.Combine(directory, FileName), Path.Combine(directory, LogFileName), Path.Combine(directory, FileName + ".lock")];

    public static LegacySnapshotDatabase Open(string path, IStorageFileSystem fileSystem)
    {
        var logPath = Path.Combine(Path.GetDirectoryName(path)!, LogFileName);
        var logExists = fileSystem.ListFiles(Path.GetDirectoryName(path)!, ".db").Contains(logPath, StringComparer.Ordinal);
        var data = new StorageFileStream(fileSystem.Open(path, createNew: false));
        var log = new StorageFileStream(fileSystem.Open(logPath, createNew: !logExists));
        try
        {
            return new LegacySnapshotDatabase(new LiteDatabase(data, logStream: log), data, log);
        }
        catch
        {
            log.Dispose();
            data.Dispose();
            throw;
        }
    }

    /// <summary>Every complete snapshot whose data passes its checksum, oldest first; the others are logged and left out.</summary>
    public IEnumerable<(SnapshotInfo Info, byte[] Data)> ReadGoodSnapshotsOldestFirst(ILogger logger)
    {
        var files = _database.GetStorage<string>("snapshot_files", "snapshot_chunks");
        var documents = _database.GetCollection("snapshots").Find(Query.EQ("complete", true))
            .OrderBy(d => d["index"].AsInt64).ThenBy(d => d["_id"].AsInt64)
            .ToList();
        foreach (var document in documents)
        {
            var info = ReadInfo(document);
            byte[]? data = null;
            string? problem;
            try
            {
                using var stream = files.OpenRead($"snap-{document["_id"].AsInt64:x16}");
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                data = buffer.ToArray();
                problem = data.Length != info.Length ? $"length {data.Length}, expected {info.Length}"
                    : Crc32C.Compute(data) != info.Checksum ? "crc32c mismatch" : null;
            }
            catch (Exception ex) when (ex is LiteException or IOException or InvalidOperationException)
            {
                problem = ex.Message;
            }

            if (problem is null)
            {
                yield return (info, data!);
            }
            else
            {
                logger.SnapshotCorrupted(info.Index, info.Term, problem);
            }
        }
    }

    public void Dispose()
    {
        _database.Dispose();
        _log.Dispose();
        _data.Dispose();
    }

    private static SnapshotInfo ReadInfo(BsonDocument document) => new(
        new SnapshotMetadata(
            unchecked((ulong)document["index"].AsInt64),
            unchecked((ulong)document["term"].AsInt64),
            new ConfState(
                document["voters"].AsArray.Select(v => unchecked((ulong)v.AsInt64)),
                document["learners"].AsArray.Select(v => unchecked((ulong)v.AsInt64)))),
        document["length"].AsInt64,
        unchecked((uint)document["checksum"].AsInt64),
        document["savedAt"].AsDateTime.ToUniversalTime());
}
