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
    private readonly Channel<EtcdEvent> _channel;
    private readonly WatcherHub? _hub;
    private readonly Action? _signal;

    internal Watcher(WatcherHub? hub, string path, bool recursive, bool stream, long sinceIndex, long startIndex, int capacity, Action? signal)
    {
        _hub = hub;
        _signal = signal;
        Path = path;
        Recursive = recursive;
        Stream = stream;
        SinceIndex = sinceIndex;
        StartIndex = startIndex;
        _channel = Channel.CreateBounded<EtcdEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = true,
            AllowSynchronousContinuations = false,
        });
    }

    /// <summary>The etcd index when the watch registered (the <c>X-Etcd-Index</c> header of the watch answer).</summary>
    public long StartIndex { get; }

    public ChannelReader<EtcdEvent> Events => _channel.Reader;

    internal string Path { get; }

    internal bool Recursive { get; }

    internal bool Stream { get; }

    /// <summary>Events with a smaller index are not for this watcher (a <c>waitIndex</c> in the future).</summary>
    internal long SinceIndex { get; }

    /// <summary>Set and read only under the hub's lock.</summary>
    internal LinkedListNode<Watcher>? Registration { get; set; }

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
        if (!_channel.Writer.TryWrite(e))
        {
            return false;
        }

        _signal?.Invoke();
        return true;
    }

    internal void Complete()
    {
        if (_channel.Writer.TryComplete())
        {
            _signal?.Invoke();
        }
    }
}
