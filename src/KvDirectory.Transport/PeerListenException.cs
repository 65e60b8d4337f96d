namespace KvDirectory.Transport;

/// <summary>A peer listen address could not be bound at start: other members could not reach this one, so it must not run.</summary>
public sealed class PeerListenException(string address, string reason, Exception inner)
    : Exception($"cannot listen for peers on {address}: {reason}; check --listen-peer-urls (is another member or etcd using the port?)", inner);
