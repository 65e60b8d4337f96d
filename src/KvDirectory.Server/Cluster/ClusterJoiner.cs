using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Server.Cluster;

/// <summary>
/// How a member started with <c>--initial-cluster-state existing</c> and an empty data dir learns the cluster it was
/// added to: it asks the other members listed in <c>--initial-cluster</c> for their member list over the peer port,
/// and finds itself in it by its advertised peer URLs (its id was chosen when it was added).
/// </summary>
public static partial class ClusterJoiner
{
    public static ClusterState Join(
        IReadOnlyList<string> otherMembersPeerUrls,
        IReadOnlyList<string> advertisedPeerUrls,
        TimeSpan deadline,
        ILogger logger)
    {
        if (otherMembersPeerUrls.Count == 0)
        {
            throw new InvalidOperationException(
                "--initial-cluster-state existing needs --initial-cluster to list the cluster's current members as well as this one");
        }

        var until = DateTime.UtcNow + deadline;
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        var failures = new List<string>();
        while (true)
        {
            foreach (var url in otherMembersPeerUrls)
            {
                try
                {
                    var known = QueryAsync(url, TimeSpan.FromSeconds(2)).GetAwaiter().GetResult();
                    return FindSelf(known, advertisedPeerUrls, url);
                }
                catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or InvalidDataException or FormatException)
                {
                    failures.Add($"{url}: {error.Message}");
                    LogQueryFailed(logger, url, error.Message);
                }
            }

            if (DateTime.UtcNow >= until)
            {
                throw new InvalidOperationException(
                    $"could not get the member list from any existing member ({string.Join("; ", failures.TakeLast(otherMembersPeerUrls.Count))}); " +
                    "check that --initial-cluster lists running members and that their peer ports are reachable");
            }

            Thread.Sleep(backoff.Next());
        }
    }

    /// <summary>Asks the member at <paramref name="peerUrl"/> for its member list.</summary>
    public static async Task<ClusterState> QueryAsync(string peerUrl, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var address = PeerDialOverride.FromUrl(peerUrl);
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(address.Host, address.Port, cancel.Token);
        var stream = client.GetStream();
        var query = new ArrayBufferWriter<byte>(PeerFrame.HeaderSize);
        PeerFrame.Write(query, PeerFrameKind.MembershipQuery, []);
        await stream.WriteAsync(query.WrittenMemory, cancel.Token);
        await stream.FlushAsync(cancel.Token);
        var reply = await PeerFrame.ReadAsync(stream, cancel.Token);
        if (reply is not { Kind: PeerFrameKind.MembershipReply } answer)
        {
            throw new InvalidDataException("the member did not answer with its member list");
        }

        return ClusterStateCodec.Decode(answer.Payload, 0);
    }

    private static ClusterState FindSelf(ClusterState known, IReadOnlyList<string> advertisedPeerUrls, string askedUrl)
    {
        var mine = advertisedPeerUrls.Order(StringComparer.Ordinal).ToArray();
        var self = known.Members.FirstOrDefault(m => m.PeerUrls.Order(StringComparer.Ordinal).SequenceEqual(mine));
        if (self is null)
        {
            throw new InvalidOperationException(
                $"the cluster at {askedUrl} has no member with peer URLs {string.Join(",", advertisedPeerUrls)}; " +
                "add this member first (kvctl member add <name> <peer url>, or POST /v2/members), then start it with the same --initial-advertise-peer-urls");
        }

        return known with { LocalMemberId = self.Id };
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Asking {PeerUrl} for the member list failed: {Reason}")]
    private static partial void LogQueryFailed(ILogger logger, string peerUrl, string reason);
}
