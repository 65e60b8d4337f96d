using System.Collections.Concurrent;

namespace KvDirectory.Server.Keys;

/// <summary>
/// Resumes woken watch answers a slice at a time on one thread-pool item, which queues itself again behind the sends
/// the slice caused. Awaiting each watcher's channel instead queued one thread-pool item per watcher at once: a write
/// with 10,000 watchers put all 10,000 answers ahead of Kestrel's socket sends, so no answer left before the last one
/// was written, every answer held a pooled buffer meanwhile (10,000 pinned 4 KB blocks, a fresh process had to
/// allocate them, which cost it full GCs), and the first watcher waited as long as the last.
/// </summary>
public sealed class WatchDispatcher : IThreadPoolWorkItem
{
    /// <summary>Answers resumed before the sends they queued get their turn.</summary>
    private const int Slice = 32;

    private readonly ConcurrentQueue<WatchWakeup> _woken = new();
    private int _scheduled;

    /// <summary>Queues <paramref name="wakeup"/>'s resumption; called on the store's writing thread, so it does no more.</summary>
    internal void Post(WatchWakeup wakeup)
    {
        _woken.Enqueue(wakeup);
        ScheduleIfIdle();
    }

    void IThreadPoolWorkItem.Execute()
    {
        for (var resumed = 0; resumed < Slice && _woken.TryDequeue(out var wakeup); resumed++)
        {
            wakeup.Resume();
        }

        Volatile.Write(ref _scheduled, 0);
        if (!_woken.IsEmpty)
        {
            ScheduleIfIdle();
        }
    }

    private void ScheduleIfIdle()
    {
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            // The global queue, behind the socket sends the previous slice queued there.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }
}
