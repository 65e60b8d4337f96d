namespace KvDirectory.Server.Cluster;

/// <summary>Holds the current <see cref="ClusterState"/>; a membership change swaps the whole record atomically.</summary>
public sealed class ClusterStateHolder(ClusterState initial)
{
    private ClusterState _current = initial;

    public ClusterState Current => Volatile.Read(ref _current);

    public void Replace(ClusterState next) => Volatile.Write(ref _current, next);
}
