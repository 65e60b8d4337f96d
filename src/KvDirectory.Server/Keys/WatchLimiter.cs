using KvDirectory.Protocol;
using KvDirectory.Server.Configuration;
using Microsoft.Extensions.Options;

namespace KvDirectory.Server.Keys;

/// <summary>
/// Counts parked watches, in total and per connection, and refuses one more past <c>--max-watchers</c> or
/// <c>--max-watchers-per-connection</c>. A slot is held from before the watch registers until its response ends,
/// however it ends (event, client gone, server stopping), so the counts always return to zero.
/// </summary>
public sealed class WatchLimiter(IOptions<RequestLimitOptions> options)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _perConnection = new(StringComparer.Ordinal);
    private int _total;

    public int Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Takes a slot for a watch on <paramref name="connectionId"/>, or throws etcd-style error 405 (HTTP 429).</summary>
    public Slot Acquire(string connectionId)
    {
        var limits = options.Value;
        lock (_gate)
        {
            if (_total >= limits.MaxWatchers)
            {
                throw new EtcdException(EtcdErrorCode.TooManyWatchers, $"this member already holds --max-watchers ({limits.MaxWatchers}) watches");
            }

            var onConnection = _perConnection.GetValueOrDefault(connectionId);
            if (onConnection >= limits.MaxWatchersPerConnection)
            {
                throw new EtcdException(EtcdErrorCode.TooManyWatchers, $"this connection already holds --max-watchers-per-connection ({limits.MaxWatchersPerConnection}) watches");
            }

            _perConnection[connectionId] = onConnection + 1;
            _total++;
        }

        return new Slot(this, connectionId);
    }

    private void Release(string connectionId)
    {
        lock (_gate)
        {
            _total--;
            var left = _perConnection[connectionId] - 1;
            if (left == 0)
            {
                _perConnection.Remove(connectionId);
            }
            else
            {
                _perConnection[connectionId] = left;
            }
        }
    }

    /// <summary>One watch's place; disposing it gives the place back (once).</summary>
    public sealed class Slot(WatchLimiter limiter, string connectionId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limiter.Release(connectionId);
            }
        }
    }
}
