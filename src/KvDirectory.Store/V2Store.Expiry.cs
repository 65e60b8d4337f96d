namespace KvDirectory.Store;

public sealed partial class V2Store
{
    /// <summary>
    /// True when some key has expired by <paramref name="now"/>: the sweeper proposes an expiry command only then,
    /// so an idle store with no TTL keys adds nothing to the log.
    /// </summary>
    public bool HasExpiringKeys(DateTimeOffset now)
    {
        _lock.EnterReadLock();
        try
        {
            return _expirations.Peek() is { ExpireTime: { } expireTime } && expireTime <= now;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
