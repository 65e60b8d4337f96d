using System.Buffers;
using System.Net.Sockets;
using KvDirectory.Wire;

namespace KvDirectory.Transport;

/// <summary>
/// The one request a member that is not in the cluster yet may make on the peer port: "send me your member list".
/// A joining member asks with it; the answer is the node's encoding, opaque here.
/// </summary>
public static class MemberListQuery
{
    /// <summary>Asks the member at <paramref name="peerUrl"/> for its encoded member list (over TLS when the URL is https and <paramref name="wrapStream"/> is PeerTls's).</summary>
    public static async Task<byte[]> QueryAsync(
        string peerUrl,
        TimeSpan timeout,
        CancellationToken cancellationToken = default,
        Func<NetworkStream, string?, CancellationToken, ValueTask<Stream>>? wrapStream = null)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancel.CancelAfter(timeout);
        var address = PeerDialOverride.FromUrl(peerUrl);
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(address.Host, address.Port, cancel.Token);
        // As etcd, the URL's scheme decides: an http peer URL is plain TCP even when this member has peer TLS.
        var tls = wrapStream is not null && PeerEndpoint.IsTls(peerUrl);
        await using var stream = tls ? await wrapStream!(client.GetStream(), address.Host, cancel.Token) : client.GetStream();
        var query = new ArrayBufferWriter<byte>(PeerFrame.HeaderSize);
        PeerFrame.Write(query, PeerFrameKind.MembershipQuery, []);
        await stream.WriteAsync(query.WrittenMemory, cancel.Token);
        await stream.FlushAsync(cancel.Token);
        var reply = await PeerFrame.ReadAsync(stream, cancel.Token);
        if (reply is not { Kind: PeerFrameKind.MembershipReply } answer)
        {
            throw new WireFormatException("the member did not answer with its member list");
        }

        return answer.Payload;
    }
}
