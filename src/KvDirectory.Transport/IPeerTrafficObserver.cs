namespace KvDirectory.Transport;

/// <summary>
/// What the peer transport reports for <c>/metrics</c> (etcd's <c>etcd_network_peer_*</c> families), per member.
/// Called from transport threads; implementations must be cheap and thread-safe.
/// </summary>
public interface IPeerTrafficObserver
{
    /// <summary>Bytes written and flushed to <paramref name="to"/>.</summary>
    void Sent(ulong to, long bytes);

    /// <summary>A dial, write or snapshot send to <paramref name="to"/> failed, or its send queue was full.</summary>
    void SendFailed(ulong to);

    /// <summary>A frame of <paramref name="bytes"/> read from <paramref name="from"/>.</summary>
    void Received(ulong from, long bytes);

    /// <summary>The connection from <paramref name="from"/> broke or carried something undecodable.</summary>
    void ReceiveFailed(ulong from);
}
