using KvDirectory.Raft;
using KvDirectory.Storage.FileSystem;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Storage;

/// <summary>
/// The segmented write-ahead log: Raft entries, hard state, snapshot markers and cluster metadata,
/// each record checksummed, every batch made durable by one fsync before its append completes.
/// Concurrent appends are group-committed: batches that arrive while an fsync runs share the next one.
/// </summary>
public sealed partial class WriteAheadLog : IDisposable
{
    private readonly string _directory;
    private readonly WalOptions _options;
    private readonly ILogger _logger;
    private IDisposable? _directoryLock;

    // Guards the open segment and the state written into new segment headers.
    private readonly Lock _fileGate = new();
    private IStorageFile _segment;
    private bool _segmentClosed;
    private WalSegmentName _segmentName;
    private long _writeOffset;
    private uint _lastCrc;
    private HardState _hardState;
    private WalSnapshotMarker _marker;
    private byte[] _metadata;
    private ulong _lastIndex;
    private long _fsyncCount;

    private WriteAheadLog(string directory, WalOptions options, ILogger logger, IStorageFile segment, WalSegmentName name,
        long writeOffset, WalReplay state)
    {
        _directory = directory;
        _options = options;
        _logger = logger;
        _segment = segment;
        _segmentName = name;
        _writeOffset = writeOffset;
        _lastCrc = state.LastCrc;
        _hardState = state.HardState;
        _marker = state.Marker;
        _metadata = state.Metadata;
        _lastIndex = state.LastIndex;
        _queuedLastIndex = state.LastIndex;
    }

    public string Directory => _directory;

    /// <summary>How many fsyncs of segment data have completed; with group commit, far fewer than appends.</summary>
    public long FsyncCount => Interlocked.Read(ref _fsyncCount);

    /// <summary>Index of the last durable entry (or of a later snapshot marker).</summary>
    public ulong LastIndex
    {
        get
        {
            lock (_fileGate) return _lastIndex;
        }
    }

    /// <summary>
    /// Opens (or creates) the log in <paramref name="directory"/>, repairs a torn tail, and replays it.
    /// Entries are returned from <paramref name="replayAfterIndex"/> + 1 on: pass the index of the
    /// snapshot actually loaded; by default the latest snapshot marker in the log.
    /// </summary>
    /// <exception cref="WalCorruptedException">Damage anywhere but the tail of the last segment, or a gap.</exception>
    public static (WriteAheadLog Log, WalRecoveryResult Recovery) Open(
        string directory, WalOptions? options = null, ILogger? logger = null, ulong? replayAfterIndex = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= WalOptions.Default;
        if (options.SegmentSizeBytes is < 4096 or > int.MaxValue / 2)
            throw new ArgumentOutOfRangeException(nameof(options), options.SegmentSizeBytes, "segment size must be between 4 KiB and 1 GiB");
        logger ??= NullLogger.Instance;
        directory = Path.GetFullPath(directory);
        options.FileSystem.CreateDirectory(directory);
        var directoryLock = LockDirectory(options.FileSystem, directory);
        try
        {
            var opened = OpenLocked(directory, options, logger, replayAfterIndex);
            opened.Log._directoryLock = directoryLock;
            return opened;
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Two processes appending to one log would interleave records; the exclusive open of a lock file
    /// (an flock on Unix) makes the second one fail at start instead.
    /// </summary>
    private static IDisposable LockDirectory(IStorageFileSystem fileSystem, string directory)
    {
        var path = Path.Combine(directory, ".lock");
        try
        {
            return fileSystem.Lock(path);
        }
        catch (IOException ex)
        {
            throw new IOException($"write-ahead log {directory} is in use by another process or instance", ex);
        }
    }

    /// <summary>The whole segment, read into <paramref name="buffer"/> (grown when it is too small).</summary>
    private static ReadOnlyMemory<byte> ReadSegment(IStorageFileSystem files, string path, ref byte[] buffer)
    {
        using var file = files.Open(path, createNew: false);
        var length = checked((int)file.Length);
        if (buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<byte>(length);
        }

        var read = 0;
        while (read < length)
        {
            var count = file.Read(buffer.AsSpan(read, length - read), read);
            if (count == 0)
            {
                throw new IOException($"{path} ended at {read} of its {length} bytes while it was read");
            }

            read += count;
        }

        return buffer.AsMemory(0, length);
    }

    private static (WriteAheadLog Log, WalRecoveryResult Recovery) OpenLocked(
        string directory, WalOptions options, ILogger logger, ulong? replayAfterIndex)
    {
        var files = options.FileSystem;
        foreach (var temporary in files.ListFiles(directory, WalSegmentName.TemporaryExtension))
        {
            files.Delete(temporary);
            logger.WalTemporaryRemoved(temporary);
        }

        var segments = WalSegmentName.List(directory, files);
        var replay = new WalReplay(replayAfterIndex);
        if (segments.Count == 0)
        {
            var first = new WalSegmentName(1, 1);
            var (handle, length, crc) = CreateSegment(directory, options, first, previousCrc: 0, default, default, []);
            var fresh = new WriteAheadLog(directory, options, logger, handle, first, length, replay) { _lastCrc = crc };
            var empty = replay.Finish(null);
            logger.WalOpened(directory, 1, 0, empty.ReplayedAfter, 0);
            return (fresh, empty);
        }

        for (var i = 1; i < segments.Count; i++)
        {
            if (segments[i].Name.Sequence != segments[i - 1].Name.Sequence + 1)
                throw new WalCorruptedException(
                    $"write-ahead log in {directory} is missing segments between {segments[i - 1].Name.FileName} and {segments[i].Name.FileName}");
        }

        WalSegmentScan? lastScan = null;
        // One buffer for every segment (the replay copies what it keeps): read whole, each 64 MB segment was a large
        // object left as garbage, three of them on a million-key restart.
        var buffer = Array.Empty<byte>();
        for (var i = 0; i < segments.Count; i++)
        {
            var (name, path) = segments[i];
            var scan = WalSegmentScanner.Scan(path, ReadSegment(files, path, ref buffer), isLast: i == segments.Count - 1);
            replay.Apply(path, name, scan);
            lastScan = scan;
        }

        var (lastName, lastPath) = segments[^1];
        var repair = lastScan!.Repair;
        if (repair is null && lastScan.ZeroTail && !LooksPreallocated(options, lastScan.Data.Length))
            repair = new WalTailRepair(lastPath, lastScan.ValidEnd, lastScan.Data.Length - lastScan.ValidEnd, "zeroed bytes after the last record");
        // Finish first: a gap fails the open before anything on disk is touched.
        var recovery = replay.Finish(repair);
        if (repair is not null) logger.WalTailRepaired(repair.File, repair.Offset, repair.DroppedBytes, repair.Reason);

        var segment = files.Open(lastPath, createNew: false);
        try
        {
            if (repair is not null)
            {
                // Cut the damage off first, then extend again, so the preallocated area is zeros, not garbage.
                segment.SetLength(lastScan.ValidEnd);
                if (options.Preallocate) segment.SetLength(Math.Max(options.SegmentSizeBytes, lastScan.ValidEnd));
                segment.Flush();
            }
        }
        catch
        {
            segment.Dispose();
            throw;
        }

        var log = new WriteAheadLog(directory, options, logger, segment, lastName, lastScan.ValidEnd, replay);
        logger.WalOpened(directory, segments.Count, recovery.Entries.Count, recovery.ReplayedAfter, replay.LastIndex);
        if (log._writeOffset >= options.SegmentSizeBytes)
        {
            lock (log._fileGate) log.Cut();
        }
        return (log, recovery);
    }

    /// <summary>
    /// Deletes segments holding nothing after <paramref name="index"/> (a snapshot index), oldest first,
    /// while more than <see cref="WalOptions.MaxRetainedSegments"/> files remain. The open segment stays.
    /// </summary>
    /// <returns>The number of segment files deleted.</returns>
    public int ReleaseBefore(ulong index)
    {
        if (_options.MaxRetainedSegments == 0) return 0;
        lock (_fileGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var segments = WalSegmentName.List(_directory, _options.FileSystem);
            var deleted = 0;
            // Segment k only holds entries below the first index of segment k+1 (later overwrites live in later segments).
            for (var k = 0; k + 1 < segments.Count && segments.Count - deleted > _options.MaxRetainedSegments; k++)
            {
                if (segments[k + 1].Name.FirstIndex > index + 1) break;
                _options.FileSystem.Delete(segments[k].Path);
                deleted++;
                _logger.WalSegmentReleased(segments[k].Path, index);
            }
            if (deleted > 0) _options.FileSystem.SyncDirectory(_directory);
            return deleted;
        }
    }

    /// <summary>Refuses new writes, waits for queued ones to be written, then closes the segment.</summary>
    public void Dispose()
    {
        lock (_queueGate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _idle.Wait();
        lock (_fileGate)
        {
            _segmentClosed = true;
            _segment.Dispose();
        }
        _idle.Dispose();
        _directoryLock?.Dispose();
    }

    private static bool LooksPreallocated(WalOptions options, long length) => options.Preallocate && length == options.SegmentSizeBytes;

    /// <summary>
    /// Writes a new segment under a temporary name, syncs it, then renames it into place, so a segment
    /// that exists always starts with a complete header carrying the state older segments held.
    /// </summary>
    private static (IStorageFile Handle, long Length, uint LastCrc) CreateSegment(string directory, WalOptions options,
        WalSegmentName name, uint previousCrc, HardState hardState, WalSnapshotMarker marker, byte[] metadata)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>(256);
        var crc = WalRecordFormat.Write(writer, WalRecordType.SegmentHeader, WalPayloads.SegmentHeader(name.Sequence, name.FirstIndex, previousCrc));
        crc = WalRecordFormat.Write(writer, WalRecordType.Metadata, metadata);
        if (!hardState.IsEmpty) crc = WalRecordFormat.Write(writer, WalRecordType.HardState, RaftCodec.EncodeHardState(hardState));
        if (marker.Index > 0) crc = WalRecordFormat.Write(writer, WalRecordType.SnapshotMarker, WalPayloads.Marker(marker.Index, marker.Term, resetsLog: false));

        var finalPath = Path.Combine(directory, name.FileName);
        var temporaryPath = finalPath + ".tmp";
        var files = options.FileSystem;
        using (var temporary = files.Open(temporaryPath, createNew: true))
        {
            temporary.Write([writer.WrittenMemory], 0);
            if (options.Preallocate) temporary.SetLength(Math.Max(options.SegmentSizeBytes, writer.WrittenCount));
            temporary.Flush();
        }
        files.Rename(temporaryPath, finalPath);
        files.SyncDirectory(directory);
        return (files.Open(finalPath, createNew: false), writer.WrittenCount, crc);
    }
}
