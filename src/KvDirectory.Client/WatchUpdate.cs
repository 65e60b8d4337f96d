using KvDirectory.Protocol;

namespace KvDirectory.Client;

/// <summary>What a resilient watch delivers: a change, or word that changes were missed and the state was read afresh.</summary>
public enum WatchUpdateKind
{
    /// <summary>One change, in order, delivered exactly once: <see cref="WatchUpdate.Event"/>.</summary>
    Event,

    /// <summary>
    /// The events after the watch's index were cleared from the server's history (etcd error 401), so some changes
    /// cannot be replayed. The watched key was read again instead: <see cref="WatchUpdate.Snapshot"/> is its whole
    /// current state (null if it does not exist) at <see cref="WatchUpdate.Index"/>, and the watch carries on after it.
    /// </summary>
    Resync,
}

/// <summary>One item of <see cref="KeysApi.WatchAsync(string, bool, long, CancellationToken)"/>.</summary>
public sealed record WatchUpdate(WatchUpdateKind Kind, long Index)
{
    public EtcdEvent? Event { get; init; }

    public EtcdNode? Snapshot { get; init; }
}
