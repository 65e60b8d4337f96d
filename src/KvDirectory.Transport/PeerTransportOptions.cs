using System.Net;
using System.Net.Sockets;

namespace KvDirectory.Transport;

/// <summary>
/// One member this node dials: its id, name, where to connect (its peer URL, or a test override), and whether that
/// URL is https (the connection is then wrapped by <see cref="PeerTransportOptions.WrapStream"/>).
/// </summary>
public sealed record PeerEndpoint(ulong MemberId, string Name, DnsEndPoint DialAddress, bool Tls = false)
{
    public static bool IsTls(string peerUrl) => peerUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One address the peer port listens on (one per <c>--listen-peer-urls</c> entry); TLS when its URL is https.</summary>
public sealed record PeerListener(IPEndPoint Address, bool Tls);

/// <summary>Everything the peer transport needs, resolved from the flags.</summary>
public sealed record PeerTransportOptions
{
    public required PeerHandshake LocalHandshake { get; init; }

    /// <summary>The first listen address; connections accepted there are TLS when <see cref="ListenTls"/>.</summary>
    public required IPEndPoint ListenAddress { get; init; }

    public bool ListenTls { get; init; }

    /// <summary>The other listen addresses: etcd listens on every peer URL given, http and https alike.</summary>
    public IReadOnlyList<PeerListener> MoreListeners { get; init; } = [];

    public IEnumerable<PeerListener> Listeners => [new PeerListener(ListenAddress, ListenTls), .. MoreListeners];

    /// <summary>Test seam (<c>--peer-dial-override</c>): dial these members, by name, at another address than their peer URL.</summary>
    public IReadOnlyDictionary<string, DnsEndPoint> DialOverrides { get; init; } = new Dictionary<string, DnsEndPoint>();

    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A write that makes no progress this long means a dead peer (e.g. a partition that stalls TCP).</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan SnapshotTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>An accepted connection's TLS handshake and first frame must arrive within this, or it is closed.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages queued for one peer beyond which new ones are dropped (Raft resends what matters).</summary>
    public int MaxQueuedMessages { get; init; } = 4_096;

    /// <summary>The encoded member list a joining member asks for over the peer port (the node's business, opaque here).</summary>
    public Func<byte[]> MemberList { get; init; } = static () => [];

    /// <summary>Counts bytes and failures per peer for <c>/metrics</c>; none in bare tests.</summary>
    public IPeerTrafficObserver? Traffic { get; init; }

    /// <summary>
    /// The TLS seam: wraps the stream of every connection to or from an https peer URL. The string is the host we
    /// dialled (which the other side's certificate must name), null when we accepted. Tls/PeerTls with <c>--peer-cert-file</c>.
    /// </summary>
    public Func<NetworkStream, string?, CancellationToken, ValueTask<Stream>> WrapStream { get; init; } =
        static (stream, _, _) => ValueTask.FromResult<Stream>(stream);
}
