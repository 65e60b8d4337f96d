using System.Threading.Channels;
using KvDirectory.Protocol;

namespace KvDirectory.Store;

/// <summary>
/// One watch request. A non-stream watcher yields exactly one event and completes; a stream
/// watcher yields events until it is disposed, or until it falls <see cref="StoreOptions.WatcherBufferSize"/>
/// events behind (then it is dropped and its channel completed, so a slow client never blocks the writer).
/// </summary>
public sealed class Watcher : IDisposable
{
    private readonly WatcherEvents _events;
    private readonly WatcherHub? _hub;
    private readonly Action? _signal;
    private LinkedListNode<Watcher>? _registration;

    internal Watcher(WatcherHub? hub, string path, bool recursive, bool stream, long sinceIndex, long startIndex, int capacity, Action? signal)
    {
        _hub = hub;
        _signal = signal;
        Path = path;
        Recursive = recursive;
        Stream = stream;
        SinceIndex = sinceIndex;
        StartIndex = startIndex;
        _events = new WatcherEvents(capacity);
    }

    /// <summary>The etcd index when the watch registered (the <c>X-Etcd-Index</c> header of the watch answer).</summary>
    public long StartIndex { get; }

    public ChannelReader<EtcdEvent> Events => _events;

    /// <summary>No event will come and every one was read (as <c>Events.Completion</c> tells, without making a task per watcher).</summary>
    public bool Ended => _events.IsFinished;

    internal string Path { get; }

    internal bool Recursive { get; }

    internal bool Stream { get; }

    /// <summary>Events with a smaller index are not for this watcher (a <c>waitIndex</c> in the future).</summary>
    internal long SinceIndex { get; }

    /// <summary>
    /// Set only under the hub's lock, once to its node and once back to null, never again: so a null read without the
    /// lock means unregistered for good.
    /// </summary>
    internal LinkedListNode<Watcher>? Registration
    {
        get => Volatile.Read(ref _registration);
        set => Volatile.Write(ref _registration, value);
    }

    internal WatchPathNode? PathNode { get; set; }

    public void Dispose()
    {
        if (_hub is null)
        {
            Complete();
            return;
        }

        _hub.Remove(this);
    }

    internal bool TryDeliver(EtcdEvent e)
    {
        if (!_events.TryWrite(e))
        {
            return false;
        }

        _signal?.Invoke();
        return true;
    }

    internal void Complete()
    {
        if (_events.TryComplete())
        {
            _signal?.Invoke();
        }
    }
}
