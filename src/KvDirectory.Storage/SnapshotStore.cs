using System.Buffers;
using System.Globalization;
using KvDirectory.Raft;
using KvDirectory.Storage.FileSystem;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Storage;

/// <summary>
/// Snapshots of the application state, one file each (<c>&lt;index&gt;-&lt;save&gt;.snap</c>, see
/// <see cref="SnapshotFileFormat"/>), as etcd keeps them. A save writes a temporary file, fsyncs it, renames it and
/// fsyncs the directory: a snapshot exists whole, after its save returned, or not at all. A crash mid-save leaves only
/// a temporary file, removed at the next open. Data is streamed in and out, and its CRC-32C is checked before a
/// snapshot is handed out. The LiteDB database earlier versions kept (<c>snapshots.db</c>) is moved into files once,
/// at the first open: a power cut could leave it unopenable, or without snapshots whose saves had returned.
/// </summary>
public sealed class SnapshotStore : IDisposable
{
    private const string Extension = ".snap";
    private const string TemporaryExtension = ".tmp";
    private const string LockFileName = "snapshots.lock";
    private const int CopyBufferBytes = 64 * 1024;

    private readonly string _directory;
    private readonly IDisposable _fileLock;
    private readonly SnapshotStoreOptions _options;
    private readonly IStorageFileSystem _fileSystem;
    private readonly ILogger _logger;
    private readonly Lock _saving = new();
    private ulong _lastSave;

    private SnapshotStore(string directory, IDisposable fileLock, SnapshotStoreOptions options, ILogger logger)
    {
        _directory = directory;
        _fileLock = fileLock;
        _options = options;
        _fileSystem = options.FileSystem;
        _logger = logger;
    }

    /// <summary>
    /// Opens (or creates) the snapshot directory, which this instance then owns exclusively; removes what a crash
    /// mid-save left, and moves an earlier version's LiteDB snapshots into files.
    /// </summary>
    public static SnapshotStore Open(string directory, SnapshotStoreOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= SnapshotStoreOptions.Default;
        directory = Path.GetFullPath(directory);
        options.FileSystem.CreateDirectory(directory);
        var fileLock = LockDirectory(options.FileSystem, directory);
        try
        {
            var store = new SnapshotStore(directory, fileLock, options, logger ?? NullLogger.Instance);
            store.RemoveIncomplete();
            store._lastSave = store.ListFiles().Select(f => f.Save).DefaultIfEmpty().Max();
            store.MoveLegacyDatabase();
            return store;
        }
        catch
        {
            fileLock.Dispose();
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

    /// <summary>Synchronous <see cref="SaveAsync"/>.</summary>
    public SnapshotInfo Save(SnapshotMetadata metadata, Stream data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(data);
        lock (_saving)
        {
            var info = Write(metadata, data, DateTime.UtcNow, cancellationToken);
            _logger.SnapshotSaved(info.Index, info.Term, info.Length, info.Checksum);
            Prune();
            return info;
        }
    }

    /// <summary>The newest snapshot whose data passes its checksum, opened for streaming; null if none.</summary>
    public StoredSnapshot? OpenLatest()
    {
        foreach (var (path, info, dataOffset) in ListReadable())
        {
            if (!Verify(path, info, dataOffset)) continue;
            return new StoredSnapshot(info, new StorageFileRangeStream(_fileSystem.Open(path, createNew: false), dataOffset, info.Length));
        }

        return null;
    }

    /// <summary>The newest good snapshot read fully into memory (what the Raft core holds); null if none.</summary>
    public Snapshot? LoadLatest()
    {
        foreach (var (path, info, dataOffset) in ListReadable())
        {
            string? problem;
            var data = Array.Empty<byte>();
            try
            {
                using var file = _fileSystem.Open(path, createNew: false);
                problem = CheckLength(file, info, dataOffset);
                if (problem is null)
                {
                    data = new byte[info.Length];
                    ReadExactly(file, data, dataOffset);
                    problem = CheckChecksum(info, Crc32C.Compute(data));
                }
            }
            catch (FileNotFoundException)
            {
                continue; // pruned by a save since it was listed
            }
            catch (IOException ex)
            {
                problem = ex.Message;
            }

            if (problem is null) return new Snapshot(info.Metadata, data);
            _logger.SnapshotCorrupted(info.Index, info.Term, problem);
        }

        return null;
    }

    /// <summary>Snapshots whose header is intact, newest first (their data is not verified here).</summary>
    public IReadOnlyList<SnapshotInfo> List() => ListReadable().Select(s => s.Info).ToArray();

    public void Dispose() => _fileLock.Dispose();

    private SnapshotInfo Write(SnapshotMetadata metadata, Stream data, DateTime savedAt, CancellationToken cancellationToken)
    {
        var save = ++_lastSave;
        var path = Path.Combine(_directory, FileName(metadata.Index, save));
        var temporary = path + TemporaryExtension;
        SnapshotInfo info;
        var file = _fileSystem.Open(temporary, createNew: true);
        try
        {
            var (length, checksum) = CopyData(data, file, SnapshotFileFormat.HeaderLength(metadata), cancellationToken);
            info = new SnapshotInfo(metadata, length, checksum, savedAt);
            file.Write([SnapshotFileFormat.EncodeHeader(info)], 0);
            file.Flush();
        }
        catch
        {
            file.Dispose();
            TryDelete(temporary);
            throw;
        }

        file.Dispose();
        _fileSystem.Rename(temporary, path);
        _fileSystem.SyncDirectory(_directory);
        return info;
    }

    private static (long Length, uint Checksum) CopyData(Stream data, IStorageFile file, long offset, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            var (length, checksum) = (0L, 0u);
            int read;
            while ((read = data.Read(buffer, 0, CopyBufferBytes)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                file.Write([buffer.AsMemory(0, read)], offset + length);
                checksum = Crc32C.Append(checksum, buffer.AsSpan(0, read));
                length += read;
            }

            cancellationToken.ThrowIfCancellationRequested();
            return (length, checksum);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool Verify(string path, SnapshotInfo info, int dataOffset)
    {
        string? problem;
        try
        {
            var file = _fileSystem.Open(path, createNew: false);
            using var data = new StorageFileRangeStream(file, dataOffset, info.Length);
            problem = CheckLength(file, info, dataOffset);
            if (problem is null)
            {
                using var hashing = new ChecksumReadStream(data, CancellationToken.None);
                hashing.CopyTo(Stream.Null);
                problem = CheckChecksum(info, hashing.Checksum);
            }
        }
        catch (FileNotFoundException)
        {
            return false; // pruned by a save since it was listed
        }
        catch (IOException ex)
        {
            problem = ex.Message;
        }

        if (problem is null) return true;
        _logger.SnapshotCorrupted(info.Index, info.Term, problem);
        return false;
    }

    /// <summary>Removes a failed save's temporary file; if that fails too, the next open removes it, and the first error matters more.</summary>
    private void TryDelete(string temporary)
    {
        try
        {
            _fileSystem.Delete(temporary);
        }
        catch (IOException)
        {
        }
    }

    private static string? CheckLength(IStorageFile file, SnapshotInfo info, int dataOffset) =>
        file.Length == dataOffset + info.Length ? null : $"length {file.Length - dataOffset}, expected {info.Length}";

    private static string? CheckChecksum(SnapshotInfo info, uint checksum) =>
        checksum == info.Checksum ? null : $"crc32c {checksum:x8}, expected {info.Checksum:x8}";

    private static void ReadExactly(IStorageFile file, Span<byte> buffer, long offset)
    {
        while (buffer.Length > 0)
        {
            var read = file.Read(buffer, offset);
            if (read == 0) throw new IOException("snapshot file ended early");
            buffer = buffer[read..];
            offset += read;
        }
    }

    /// <summary>Snapshot files with an intact header, newest first: by log position, then by save order.</summary>
    private List<(string Path, SnapshotInfo Info, int DataOffset)> ListReadable()
    {
        var result = new List<(string, SnapshotInfo, int)>();
        foreach (var (path, index, _) in ListFiles())
        {
            string? problem;
            try
            {
                using var file = _fileSystem.Open(path, createNew: false);
                var head = new byte[(int)Math.Min(file.Length, SnapshotFileFormat.MaxHeaderReadLength)];
                ReadExactly(file, head, 0);
                var (info, dataOffset, damage) = SnapshotFileFormat.DecodeHeader(head);
                if (info is not null)
                {
                    result.Add((path, info, dataOffset));
                    continue;
                }

                problem = damage;
            }
            catch (FileNotFoundException)
            {
                continue; // pruned by a save since it was listed
            }
            catch (IOException ex)
            {
                problem = ex.Message;
            }

            _logger.SnapshotCorrupted(index, 0, problem!);
        }

        return result;
    }

    /// <summary>Every snapshot file by its name, newest first.</summary>
    private List<(string Path, ulong Index, ulong Save)> ListFiles()
    {
        var files = new List<(string, ulong, ulong)>();
        foreach (var path in _fileSystem.ListFiles(_directory, Extension))
        {
            if (TryParseName(Path.GetFileName(path.AsSpan())[..^Extension.Length], out var index, out var save))
            {
                files.Add((path, index, save));
            }
        }

        files.Sort((a, b) => a.Item2 != b.Item2 ? b.Item2.CompareTo(a.Item2) : b.Item3.CompareTo(a.Item3));
        return files;
    }

    private void Prune()
    {
        if (_options.MaxSnapshots <= 0) return;
        foreach (var (path, index, _) in ListFiles().Skip(_options.MaxSnapshots))
        {
            // Not made durable by a directory fsync: a deletion the power undoes is only done again at the next save.
            _fileSystem.Delete(path);
            _logger.SnapshotPruned(index);
        }
    }

    /// <summary>A save the process did not finish left its temporary file; the snapshot before it still counts.</summary>
    private void RemoveIncomplete()
    {
        foreach (var path in _fileSystem.ListFiles(_directory, Extension + TemporaryExtension))
        {
            var name = Path.GetFileName(path.AsSpan())[..^(Extension.Length + TemporaryExtension.Length)];
            _fileSystem.Delete(path);
            _logger.SnapshotIncompleteRemoved(TryParseName(name, out var index, out _) ? index : 0);
        }
    }

    /// <summary>
    /// An earlier version's LiteDB database: its good snapshots become files (any already moved by an open that a
    /// crash cut short are not written twice), then the database is deleted.
    /// </summary>
    private void MoveLegacyDatabase()
    {
        var legacyPath = Path.Combine(_directory, LegacySnapshotDatabase.FileName);
        if (!_fileSystem.ListFiles(_directory, ".db").Contains(legacyPath, StringComparer.Ordinal))
        {
            return;
        }

        var present = ListReadable().Select(s => (s.Info.Index, s.Info.Term, s.Info.Checksum)).ToHashSet();
        var moved = 0;
        using (var legacy = LegacySnapshotDatabase.Open(legacyPath, _fileSystem))
        {
            foreach (var (info, data) in legacy.ReadGoodSnapshotsOldestFirst(_logger))
            {
                if (present.Contains((info.Index, info.Term, info.Checksum))) continue;
                Write(info.Metadata, new MemoryStream(data, writable: false), info.SavedAtUtc, CancellationToken.None);
                moved++;
            }
        }

        foreach (var path in LegacySnapshotDatabase.Files(_directory))
        {
            if (_fileSystem.ListFiles(_directory, Path.GetExtension(path)).Contains(path, StringComparer.Ordinal))
            {
                _fileSystem.Delete(path);
            }
        }

        _fileSystem.SyncDirectory(_directory);
        _logger.SnapshotsMovedFromLiteDb(moved, legacyPath);
        Prune();
    }

    private static string FileName(ulong index, ulong save) =>
        $"{index:x16}-{save:x16}{Extension}";

    private static bool TryParseName(ReadOnlySpan<char> name, out ulong index, out ulong save)
    {
        (index, save) = (0, 0);
        return name.Length == 33 && name[16] == '-'
            && ulong.TryParse(name[..16], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out index)
            && ulong.TryParse(name[17..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out save);
    }

    private static IDisposable LockDirectory(IStorageFileSystem fileSystem, string directory)
    {
        try
        {
            return fileSystem.Lock(Path.Combine(directory, LockFileName));
        }
        catch (IOException ex)
        {
            throw new IOException($"snapshot directory {directory} is in use by another process or instance", ex);
        }
    }
}
