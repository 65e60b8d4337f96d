using System.Net;
using System.Net.Sockets;

namespace KvDirectory.Transport;

/// <summary>One member this node dials: its id, name, and where to connect (its peer URL, or a test override).</summary>
public sealed record PeerEndpoint(ulong MemberId, string Name, DnsEndPoint DialAddress);

/// <summary>Everything the peer transport needs, resolved from the flags.</summary>
public sealed record PeerTransportOptions
{
    public required PeerHandshake LocalHandshake { get; init; }

    public required IPEndPoint ListenAddress { get; init; }

    /// <summary>Test seam (<c>--peer-dial-override</c>): dial these members, by name, at another address than their peer URL.</summary>
    public IReadOnlyDictionary<string, DnsEndPoint> DialOverrides { get; init; } = new Dictionary<string, DnsEndPoint>();

    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A write that makes no progress this long means a dead peer (e.g. a partition that stalls TCP).</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan SnapshotTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages queued for one peer beyond which new ones are dropped (Raft resends what matters).</summary>
    public int MaxQueuedMessages { get; init; } = 4_096;

    /// <summary>The encoded member list a joining member asks for over the peer port (the node's business, opaque here).</summary>
    public Func<byte[]> MemberList { get; init; } = static () => [];

    /// <summary>Counts bytes and failures per peer for <c>/metrics</c>; none in bare tests.</summary>
    public IPeerTrafficObserver? Traffic { get; init; }

    /// <summary>
    /// The TLS seam: wraps every connection's stream, ours or theirs. The string is the host we dialled (which the
    /// other side's certificate must name), null when we accepted. Plain TCP by default; Tls/PeerTls with <c>--peer-cert-file</c>.
    /// </summary>
    public Func<NetworkStream, string?, CancellationToken, ValueTask<Stream>> WrapStream { get; init; } =
        static (stream, _, _) => ValueTask.FromResult<Stream>(stream);
}
