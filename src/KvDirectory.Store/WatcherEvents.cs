using System.Threading.Channels;
using KvDirectory.Protocol;

namespace KvDirectory.Store;

/// <summary>
/// A watcher's undelivered events, read like a channel; the store's writer is the one writer. A bounded
/// <see cref="Channel"/> did this at 750 bytes per watcher before its first event and about 300 more after it (its
/// queue's array, and two exceptions it builds on every completion, for readers and writers blocked on it, none here):
/// a write answering 10,000 parked watchers allocated 3 MB while the answers went out, enough to set off a
/// collection in the middle of them, and the parked watchers' channels were most of what that collection copied.
/// Here an event waits in a field, a queue only exists once a second one is waiting, and the tasks a reader may await
/// are only made when one does.
/// </summary>
internal sealed class WatcherEvents(int capacity) : ChannelReader<EtcdEvent>
{
    private readonly Lock _gate = new();
    private EtcdEvent? _oldest;
    private Queue<EtcdEvent>? _later;
    private bool _writingDone;
    private TaskCompletionSource<bool>? _readable;
    private TaskCompletionSource? _completion;

    public override bool CanCount => true;

    public override int Count
    {
        get
        {
            lock (_gate)
            {
                return Pending;
            }
        }
    }

    /// <summary>Completes once no event will come (the writer is done) and every one has been read.</summary>
    public override Task Completion
    {
        get
        {
            lock (_gate)
            {
                _completion ??= NewCompletion();
                if (IsFinishedLocked)
                {
                    _completion.TrySetResult();
                }

                return _completion.Task;
            }
        }
    }

    /// <summary>What <see cref="Completion"/> tells, without making a task: a reader that only checks need not await.</summary>
    public bool IsFinished
    {
        get
        {
            lock (_gate)
            {
                return IsFinishedLocked;
            }
        }
    }

    private bool IsFinishedLocked => _writingDone && _oldest is null;

    private int Pending => _oldest is null ? 0 : 1 + (_later?.Count ?? 0);

    /// <summary>Adds <paramref name="e"/> unless the writer is done or <c>capacity</c> events are waiting already.</summary>
    public bool TryWrite(EtcdEvent e)
    {
        TaskCompletionSource<bool>? readable;
        lock (_gate)
        {
            if (_writingDone || Pending >= capacity)
            {
                return false;
            }

            if (_oldest is null)
            {
                _oldest = e;
            }
            else
            {
                (_later ??= new Queue<EtcdEvent>()).Enqueue(e);
            }

            (readable, _readable) = (_readable, null);
        }

        readable?.TrySetResult(true);
        return true;
    }

    /// <summary>No more events; false if that was said already. Those waiting can still be read.</summary>
    public bool TryComplete()
    {
        TaskCompletionSource<bool>? readable;
        TaskCompletionSource? completion;
        lock (_gate)
        {
            if (_writingDone)
            {
                return false;
            }

            _writingDone = true;
            (readable, _readable) = (_readable, null);
            completion = IsFinishedLocked ? _completion : null;
        }

        // A reader only waits on an empty queue, so there is nothing more for it to read.
        readable?.TrySetResult(false);
        completion?.TrySetResult();
        return true;
    }

    public override bool TryRead(out EtcdEvent item)
    {
        TaskCompletionSource? completion;
        lock (_gate)
        {
            if (_oldest is null)
            {
                item = null!;
                return false;
            }

            item = _oldest;
            _oldest = _later is { Count: > 0 } later ? later.Dequeue() : null;
            completion = IsFinishedLocked ? _completion : null;
        }

        completion?.TrySetResult();
        return true;
    }

    public override bool TryPeek(out EtcdEvent item)
    {
        lock (_gate)
        {
            item = _oldest!;
            return _oldest is not null;
        }
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        Task<bool> readable;
        lock (_gate)
        {
            if (_oldest is not null)
            {
                return new ValueTask<bool>(true);
            }

            if (_writingDone)
            {
                return new ValueTask<bool>(false);
            }

            readable = (_readable ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        return new ValueTask<bool>(cancellationToken.CanBeCanceled ? readable.WaitAsync(cancellationToken) : readable);
    }

    // Its continuations never run on the store's writing thread, which completes it while holding the store's locks.
    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
