using System.Net.Sockets;
using KvDirectory.Transport;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Node.Membership;

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
        ILogger logger,
        Func<NetworkStream, string?, CancellationToken, ValueTask<Stream>>? wrapStream = null)
    {
        if (otherMembersPeerUrls.Count == 0)
        {
            throw new InvalidOperationException(
                "--initial-cluster-state existing needs --initial-cluster to list the cluster's current members as well as this one");
        }

        // Members started together may not listen yet: ask each in turn, again with backoff, until the deadline.
        var failures = new List<string>();
        var retry = PeerDialPolicy.Create(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), error => { });
        using var giveUp = new CancellationTokenSource(deadline);
        try
        {
            return retry.ExecuteAsync(
                async token =>
                {
                    // A member that has not applied the add yet (it lags, or was cut off) answers a list without this
                    // one: another listed member may well have it, so only when none has is the add missing.
                    InvalidOperationException? notListed = null;
                    foreach (var url in otherMembersPeerUrls)
                    {
                        try
                        {
                            return FindSelf(await QueryAsync(url, TimeSpan.FromSeconds(2), token, wrapStream), advertisedPeerUrls, url);
                        }
                        catch (Exception error) when (error is FormatException || (PeerDialPolicy.IsConnectionFailure(error) && !token.IsCancellationRequested))
                        {
                            failures.Add($"{url}: {error.Message}");
                            LogQueryFailed(logger, url, error.Message);
                        }
                        catch (NotListedException error)
                        {
                            notListed ??= new InvalidOperationException(error.Message);
                            LogQueryFailed(logger, url, error.Message);
                        }
                    }

                    throw notListed ?? (Exception)new IOException("no listed member answered");
                },
                giveUp.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception error) when (error is OperationCanceledException or IOException)
        {
            throw new InvalidOperationException(
                $"could not get the member list from any existing member within {deadline.TotalSeconds:F0} s " +
                $"({string.Join("; ", failures.TakeLast(otherMembersPeerUrls.Count))}); " +
                "check that --initial-cluster lists running members and that their peer ports are reachable");
        }
    }

    /// <summary>Asks the member at <paramref name="peerUrl"/> for its member list.</summary>
    public static async Task<ClusterState> QueryAsync(
        string peerUrl,
        TimeSpan timeout,
        CancellationToken cancellationToken = default,
        Func<NetworkStream, string?, CancellationToken, ValueTask<Stream>>? wrapStream = null) =>
        ClusterStateCodec.Decode(await MemberListQuery.QueryAsync(peerUrl, timeout, cancellationToken, wrapStream), 0);

    private static ClusterState FindSelf(ClusterState known, IReadOnlyList<string> advertisedPeerUrls, string askedUrl)
    {
        var mine = advertisedPeerUrls.Order(StringComparer.Ordinal).ToArray();
        var self = known.Members.FirstOrDefault(m => m.PeerUrls.Order(StringComparer.Ordinal).SequenceEqual(mine));
        if (self is null)
        {
            throw new NotListedException(
                $"the cluster at {askedUrl} has no member with peer URLs {string.Join(",", advertisedPeerUrls)}; " +
                "add this member first (kvctl member add <name> <peer url>, or POST /v2/members), then start it with the same --initial-advertise-peer-urls");
        }

        return known with { LocalMemberId = self.Id };
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Asking {PeerUrl} for the member list failed: {Reason}")]
    private static partial void LogQueryFailed(ILogger logger, string peerUrl, string reason);

    /// <summary>A member answered a list without this one.</summary>
    private sealed class NotListedException(string message) : Exception(message);
}
