namespace KvDirectory.Node.Membership;

/// <summary>
/// Holds the current <see cref="ClusterState"/>. The node (membership changes) and the handshakes (names and client
/// URLs from handshakes) both update it, so every change is a compare-and-swap of the whole record: neither loses the other's.
/// </summary>
public sealed class ClusterStateHolder(ClusterState initial)
{
    private ClusterState _current = initial;

    public ClusterState Current => Volatile.Read(ref _current);

    public void Replace(ClusterState next) => Volatile.Write(ref _current, next);

    /// <summary>Applies <paramref name="change"/> to the current state atomically (retrying if another update won) and returns the result.</summary>
    public ClusterState Update(Func<ClusterState, ClusterState> change)
    {
        while (true)
        {
            var current = Current;
            var next = change(current);
            if (ReferenceEquals(next, current) || ReferenceEquals(Interlocked.CompareExchange(ref _current, next, current), current))
            {
                return next;
            }
        }
    }
}
