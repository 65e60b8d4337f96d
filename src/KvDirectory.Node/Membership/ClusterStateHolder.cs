namespace KvDirectory.Node.Membership;

/// <summary>
/// Holds the member list as this node last published it (written only by the node's thread, read by the endpoints
/// from any): swapped whole, never changed in place.
/// </summary>
public sealed class ClusterStateHolder(ClusterState initial)
{
    private ClusterState _current = initial;

    public ClusterState Current => Volatile.Read(ref _current);

    public void Replace(ClusterState next) => Volatile.Write(ref _current, next);
}
