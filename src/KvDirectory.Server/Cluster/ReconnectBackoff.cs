namespace KvDirectory.Server.Cluster;

/// <summary>
/// Delay before the next dial of an unreachable peer: doubles from <c>initial</c> up to <c>max</c>, back to
/// <c>initial</c> once a connection succeeds. Hand-written rather than Polly: a reconnect loop that runs for the
/// life of the process is not a retried call, and this pure type is tested without clocks. No jitter: only
/// a handful of peers dial each other, so there is no thundering herd to spread.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public ReconnectBackoff(TimeSpan initial, TimeSpan max)
    {
        _initial = initial;
        _max = max;
        _next = initial;
    }

    public TimeSpan Next()
    {
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, _next.Ticks * 2));
        return delay;
    }

    public void Reset() => _next = _initial;
}
