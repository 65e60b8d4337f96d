using System.Buffers;
using KvDirectory.Raft;

namespace KvDirectory.Storage;

public sealed partial class WriteAheadLog
{
    // Group commit: appenders queue encoded batches; one flusher at a time writes everything queued and
    // fsyncs once, while the next appenders queue up behind it.
    private readonly Lock _queueGate = new();
    private List<PendingWrite> _queue = [];
    private bool _flushing;

    // Set while no flusher runs, so Dispose can let acknowledged-in-flight batches reach the disk first.
    private readonly ManualResetEventSlim _idle = new(initialState: true);
    private bool _disposed;
    private Exception? _failure;
    private ulong _queuedLastIndex;

    /// <summary>When set, the flusher waits on it before taking queued batches: lets tests pile up appends deterministically.</summary>
    internal ManualResetEventSlim? FlushGateForTests { get; set; }

    /// <summary>Appends a batch and returns once it is on disk (one fsync, shared with concurrent appends).</summary>
    public void Append(HardState? hardState, IReadOnlyList<Entry> entries) =>
        Enqueue(Encode(hardState, entries), runFlusherInline: true)?.GetAwaiter().GetResult();

    /// <summary>
    /// Appends a batch; the task completes once it is on disk. Batches arriving while an fsync runs are
    /// written together and made durable by the next single fsync. Batches become durable in call order.
    /// </summary>
    public Task AppendAsync(HardState? hardState, IReadOnlyList<Entry> entries) =>
        Enqueue(Encode(hardState, entries), runFlusherInline: false) ?? Task.CompletedTask;

    /// <summary>
    /// As <see cref="Append(HardState?, IReadOnlyList{Entry})"/>; <paramref name="onDurable"/> runs in durability order before it returns.
    /// Without <paramref name="sync"/> (Raft's <c>MustSync</c> is false: only the commit index moved) the batch is written
    /// but costs no fsync of its own; the next synced write, or the segment's sealing, makes it durable with the rest.
    /// </summary>
    internal void Append(HardState? hardState, IReadOnlyList<Entry> entries, Action onDurable, bool sync = true)
    {
        var write = Encode(hardState, entries);
        if (write is null)
        {
            onDurable();
            return;
        }
        write.OnDurable = onDurable;
        write.Sync = sync;
        Enqueue(write, runFlusherInline: true)!.GetAwaiter().GetResult();
    }

    /// <summary>As <see cref="AppendAsync(HardState?, IReadOnlyList{Entry})"/>; <paramref name="onDurable"/> runs in durability order before the task completes.</summary>
    internal Task AppendAsync(HardState? hardState, IReadOnlyList<Entry> entries, Action onDurable)
    {
        var write = Encode(hardState, entries);
        if (write is null)
        {
            onDurable();
            return Task.CompletedTask;
        }
        write.OnDurable = onDurable;
        return Enqueue(write, runFlusherInline: false)!;
    }

    /// <summary>
    /// Records that a snapshot exists at (index, term): replay then starts after it. With
    /// <paramref name="resetsLog"/> (a snapshot installed from the leader) every earlier entry is discarded.
    /// </summary>
    public void SaveSnapshotMarker(ulong index, ulong term, bool resetsLog = false)
    {
        var writer = new ArrayBufferWriter<byte>(32);
        var crc = WalRecordFormat.Write(writer, WalRecordType.SnapshotMarker, WalPayloads.Marker(index, term, resetsLog));
        var write = new PendingWrite(writer.WrittenMemory, crc) { Marker = new WalSnapshotMarker(index, term), ResetsLog = resetsLog };
        Enqueue(write, runFlusherInline: true)!.GetAwaiter().GetResult();
    }

    /// <summary>Records the cluster identity (opaque to the log); every later segment repeats the latest.</summary>
    public void SaveMetadata(ReadOnlySpan<byte> metadata)
    {
        var writer = new ArrayBufferWriter<byte>(32 + metadata.Length);
        var crc = WalRecordFormat.Write(writer, WalRecordType.Metadata, metadata);
        var write = new PendingWrite(writer.WrittenMemory, crc) { Metadata = metadata.ToArray() };
        Enqueue(write, runFlusherInline: true)!.GetAwaiter().GetResult();
    }

    private static PendingWrite? Encode(HardState? hardState, IReadOnlyList<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0 && hardState is null) return null;
        // Sized exactly: a guess grew the buffer by copying, a tenth of what a write allocated.
        var size = hardState is null ? 0 : WalRecordFormat.TotalSize(RaftCodec.EncodedHardStateSize);
        for (var i = 0; i < entries.Count; i++)
        {
            if (i > 0 && entries[i].Index != entries[i - 1].Index + 1)
                throw new ArgumentException($"entries must be consecutive: {entries[i - 1].Index} is followed by {entries[i].Index}", nameof(entries));
            size += WalRecordFormat.TotalSize(RaftCodec.EncodedEntrySize(entries[i]));
        }
        var writer = new ArrayBufferWriter<byte>(size);
        uint crc = 0;
        for (var i = 0; i < entries.Count; i++) crc = WalRecordFormat.WriteEntry(writer, entries[i]);
        // Entries first, then the state that may commit them, as etcd does.
        if (hardState is { } state) crc = WalRecordFormat.WriteHardState(writer, state);
        return new PendingWrite(writer.WrittenMemory, crc)
        {
            HardState = hardState,
            FirstIndex = entries.Count > 0 ? entries[0].Index : null,
            LastIndex = entries.Count > 0 ? entries[^1].Index : null,
        };
    }

    private Task? Enqueue(PendingWrite? write, bool runFlusherInline)
    {
        if (write is null) return null;
        lock (_queueGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_failure is not null) throw new IOException("the write-ahead log failed earlier and accepts no more writes", _failure);
            if (write.FirstIndex is { } first)
            {
                if (first > _queuedLastIndex + 1)
                    throw new ArgumentException($"entry {first} would leave a gap after the last index {_queuedLastIndex}", "entries");
                _queuedLastIndex = write.LastIndex!.Value;
            }
            else if (write.Marker is { } marker && (write.ResetsLog || marker.Index > _queuedLastIndex))
            {
                _queuedLastIndex = marker.Index;
            }
            _queue.Add(write);
            if (_flushing) return write.Completion.Task;
            _flushing = true;
            _idle.Reset();
        }
        if (runFlusherInline) Flush();
        else ThreadPool.UnsafeQueueUserWorkItem(static log => log.Flush(), this, preferLocal: false);
        return write.Completion.Task;
    }

    private void Flush()
    {
        while (true)
        {
            FlushGateForTests?.Wait();
            List<PendingWrite> group;
            lock (_queueGate)
            {
                if (_queue.Count == 0)
                {
                    _flushing = false;
                    _idle.Set();
                    return;
                }
                group = _queue;
                _queue = [];
            }

            try
            {
                lock (_fileGate) WriteGroup(group);
            }
            catch (Exception ex)
            {
                _logger.WalWriteFailed(ex);
                List<PendingWrite> abandoned;
                lock (_queueGate)
                {
                    _failure = ex;
                    abandoned = _queue;
                    _queue = [];
                    _flushing = false;
                    _idle.Set();
                }
                foreach (var write in group) write.Completion.TrySetException(ex);
                foreach (var write in abandoned) write.Completion.TrySetException(ex);
                return;
            }

            foreach (var write in group)
            {
                try
                {
                    write.OnDurable?.Invoke();
                    write.Completion.TrySetResult();
                }
                catch (Exception ex)
                {
                    write.Completion.TrySetException(ex);
                }
            }
        }
    }

    private void WriteGroup(List<PendingWrite> group)
    {
        ObjectDisposedException.ThrowIf(_segmentClosed, this);
        var buffers = new ReadOnlyMemory<byte>[group.Count];
        long length = 0;
        for (var i = 0; i < group.Count; i++)
        {
            buffers[i] = group[i].Bytes;
            length += group[i].Bytes.Length;
        }
        _segment.Write(buffers, _writeOffset);
        if (group.Exists(write => write.Sync))
        {
            _segment.Flush();
            Interlocked.Increment(ref _fsyncCount);
        }
        _writeOffset += length;

        foreach (var write in group)
        {
            _lastCrc = write.LastCrc;
            if (write.HardState is { } state) _hardState = state;
            if (write.LastIndex is { } last) _lastIndex = last;
            if (write.Metadata is { } metadata) _metadata = metadata;
            if (write.Marker is { } marker)
            {
                if (marker.Index >= _marker.Index) _marker = marker;
                if (write.ResetsLog || marker.Index > _lastIndex) _lastIndex = marker.Index;
            }
        }
        if (_writeOffset >= _options.SegmentSizeBytes) Cut();
    }

    /// <summary>Seals the current segment at its logical end and continues in a new one.</summary>
    private void Cut()
    {
        // Only the last segment may ever have a tail to forgive, so the sealed one loses its preallocated zeros.
        _segment.SetLength(_writeOffset);
        _segment.Flush();
        var next = new WalSegmentName(_segmentName.Sequence + 1, _lastIndex + 1);
        var (handle, length, crc) = CreateSegment(_directory, _options, next, _lastCrc, _hardState, _marker, _metadata);
        _segment.Dispose();
        _segment = handle;
        _segmentName = next;
        _writeOffset = length;
        _lastCrc = crc;
        _logger.WalSegmentCut(Path.Combine(_directory, next.FileName));
    }

    private sealed class PendingWrite(ReadOnlyMemory<byte> bytes, uint lastCrc)
    {
        public ReadOnlyMemory<byte> Bytes { get; } = bytes;

        public uint LastCrc { get; } = lastCrc;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HardState? HardState { get; init; }

        public ulong? FirstIndex { get; init; }

        public ulong? LastIndex { get; init; }

        public WalSnapshotMarker? Marker { get; init; }

        public bool ResetsLog { get; init; }

        public byte[]? Metadata { get; init; }

        public Action? OnDurable { get; set; }

        /// <summary>Whether this write needs an fsync before it completes (false only for a commit-index-only hard state).</summary>
        public bool Sync { get; set; } = true;
    }
}
