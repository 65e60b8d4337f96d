namespace KvDirectory.Node.Membership;

/// <summary>
/// Tells the host, once, that this member is out of the cluster (the host then shuts down). After applying its own
/// removal the member waits <see cref="NodeOptions.RemovalExitDelay"/> first, as etcd does (one second): its loop
/// keeps running meanwhile, so its last messages still reach the others — above all the commit of that very removal.
/// A leader that committed its own removal and went silent at once could leave the others without the commit, still
/// counting it a voter (two members left of two: no quorum ever again). Told by a peer instead, the others already
/// know: the host is told at once.
/// </summary>
internal sealed class RemovalNotice(Action? onRemoved, TimeSpan delay, TimeProvider time) : IDisposable
{
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _told;

    /// <summary>How long the host is told later after the member applied its own removal.</summary>
    public TimeSpan Delay => delay;

    /// <summary>Set once this member applied its own removal or a peer told it so.</summary>
    public bool Removed { get; private set; }

    /// <summary>Its own removal applied: tell the host after the delay. Answers false when it was already removed.</summary>
    public bool AppliedOwnRemoval()
    {
        if (!MarkRemoved())
        {
            return false;
        }

        lock (_gate)
        {
            _timer = time.CreateTimer(_ => Tell(), null, delay, Timeout.InfiniteTimeSpan);
        }

        return true;
    }

    /// <summary>A peer said this member was removed: tell the host now (also cutting a pending delay short). Answers false when it was already removed.</summary>
    public bool ToldByPeer()
    {
        var first = MarkRemoved();
        Tell();
        return first;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
        }
    }

    private bool MarkRemoved()
    {
        if (Removed)
        {
            return false;
        }

        Removed = true;
        return true;
    }

    private void Tell()
    {
        lock (_gate)
        {
            if (_told)
            {
                return;
            }

            _told = true;
            _timer?.Dispose();
        }

        onRemoved?.Invoke();
    }
}
