using KvDirectory.Protocol;

namespace KvDirectory.Store;

public sealed partial class V2Store
{
    /// <summary>
    /// Watches <paramref name="path"/> from <paramref name="sinceIndex"/> (0 = the next event).
    /// Events still in history are delivered at once (a stream gets all of them, then continues
    /// live with no gap). An index older than the history answers 401 only if something at or
    /// beneath the watched path really changed since then.
    /// </summary>
    /// <param name="signal">
    /// Called after each event lands in <see cref="Watcher.Events"/> and when it completes, on the writing thread
    /// while it holds the store's locks: it must be quick and must not throw. It lets a caller wake its reader in
    /// its own order instead of awaiting the channel (which queues one thread-pool item per watcher at once).
    /// </param>
    public Watcher Watch(string path, bool recursive, bool stream, long sinceIndex, Action? signal = null)
    {
        path = StorePath.Normalize(path);

        // The read lock keeps the writer out, so the history scan and the registration see the
        // same index: nothing can slip between them.
        _lock.EnterReadLock();
        try
        {
            var current = _currentIndex;
            var since = sinceIndex <= 0 ? current + 1 : sinceIndex;
            if (since < _history.CoveredFrom && ChangedAtOrBeneath(path) >= since)
            {
                throw new EtcdException(
                    EtcdErrorCode.EventIndexCleared,
                    $"the requested history has been cleared [{_history.OldestIndex}/{since}]",
                    current);
            }

            if (_watchesEnded)
            {
                // The server is stopping: the watch answers with its headers and ends, as EndWatches ended the others.
                var ended = new Watcher(null, path, recursive, stream, since, current, capacity: 1, signal);
                ended.Complete();
                return ended;
            }

            var fromHistory = _history.Scan(path, recursive, since);
            if (!stream)
            {
                var first = fromHistory.FirstOrDefault();
                if (first is not null)
                {
                    var answered = new Watcher(null, path, recursive, stream, since, current, capacity: 1, signal);
                    answered.TryDeliver(first with { EtcdIndex = current });
                    answered.Complete();
                    return answered;
                }

                var waiting = new Watcher(_watchers, path, recursive, stream, since, current, capacity: 1, signal);
                _watchers.Register(waiting);
                return waiting;
            }

            var backlog = fromHistory.Select(e => e with { EtcdIndex = current }).ToList();
            var watcher = new Watcher(_watchers, path, recursive, stream, since, current, _options.WatcherBufferSize + backlog.Count, signal);
            foreach (var e in backlog)
            {
                watcher.TryDeliver(e);
            }

            _watchers.Register(watcher);
            return watcher;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Ends every watch, and every watch asked for from now on, without an event (etcd ends a watch the same way when
    /// its store drops the watcher). For a stopping server: a parked long poll otherwise holds the graceful shutdown for
    /// its whole timeout (30 s) after Ctrl+C, and clients that always watch (confd, Patroni) always hold one.
    /// </summary>
    public void EndWatches()
    {
        _lock.EnterWriteLock();
        try
        {
            _watchesEnded = true;
            _watchers.RemoveAll();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// The last index at which the path, or anything beneath it, changed. For a missing path the
    /// deepest existing ancestor answers: whatever removed the path also marked that ancestor.
    /// </summary>
    private long ChangedAtOrBeneath(string cleanPath)
    {
        var node = _root;
        foreach (var component in StorePath.Components(cleanPath))
        {
            if (node.Children is null || !node.Children.TryGetValue(component, out var child))
            {
                break;
            }

            node = child;
        }

        return node.ChangedIndex;
    }
}
