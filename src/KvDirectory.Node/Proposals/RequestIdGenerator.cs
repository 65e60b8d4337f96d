namespace KvDirectory.Node.Proposals;

/// <summary>
/// Ids for proposals that are unique across the cluster and across restarts, as etcd makes them: the low 16 bits
/// of the member id, then the start time in milliseconds, then a counter. A member completes only its own ids
/// when it applies an entry, so a follower can answer the writes it forwarded.
/// </summary>
public sealed class RequestIdGenerator(ulong memberId, DateTimeOffset startTime)
{
    private readonly ulong _prefix = (memberId & 0xFFFF) << 48;
    private ulong _suffix = ((ulong)startTime.ToUnixTimeMilliseconds() & 0xFF_FFFF_FFFF) << 8;

    public ulong Next()
    {
        var suffix = Interlocked.Increment(ref _suffix);
        return _prefix | (suffix & 0xFFFF_FFFF_FFFF);
    }
}
