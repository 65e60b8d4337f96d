namespace KvDirectory.Node.Statistics;

/// <summary>
/// The last <see cref="Capacity"/> append requests (time and size), for the package and bandwidth rates of
/// <c>/v2/stats/self</c>: requests and bytes per second between the oldest and newest kept, and nothing at all
/// once the newest is more than a second old (the stream went quiet). Thread-safe.
/// </summary>
public sealed class RequestRateWindow(TimeProvider time)
{
    public const int Capacity = 200;

    private readonly Lock _lock = new();
    private readonly (long Timestamp, int Size)[] _items = new (long, int)[Capacity];
    private int _count;
    private int _next;
    private long _totalSize;

    public void Add(int size)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (_count == Capacity)
            {
                _totalSize -= _items[_next].Size;
            }
            else
            {
                _count++;
            }

            _items[_next] = (now, size);
            _totalSize += size;
            _next = (_next + 1) % Capacity;
        }
    }

    /// <summary>Requests per second and bytes per second; zeros when idle for over a second or with too few samples to span any time.</summary>
    public (double Packages, double Bytes) Rate()
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (_count == 0)
            {
                return (0, 0);
            }

            var newest = _items[(_next + Capacity - 1) % Capacity].Timestamp;
            if (time.GetElapsedTime(newest, now) > TimeSpan.FromSeconds(1))
            {
                _count = 0;
                _totalSize = 0;
                return (0, 0);
            }

            var oldest = _items[(_next + Capacity - _count) % Capacity].Timestamp;
            var span = time.GetElapsedTime(oldest, newest).TotalSeconds;
            return span <= 0 ? (0, 0) : (_count / span, _totalSize / span);
        }
    }
}
