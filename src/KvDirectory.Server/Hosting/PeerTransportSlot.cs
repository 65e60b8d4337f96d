using KvDirectory.Transport;

namespace KvDirectory.Server.Hosting;

/// <summary>
/// Where the host keeps the peer transport once the node has opened its data dir (the transport needs the identity
/// the data dir holds), so it can be closed at shutdown.
/// </summary>
public sealed class PeerTransportSlot
{
    public PeerTransport? Transport { get; set; }
}
