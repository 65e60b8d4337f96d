using System.Runtime.CompilerServices;
using KvDirectory.Protocol;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Client;

/// <summary>
/// A watch that outlives its connections: each long poll waits from the index after the last delivered event, on
/// whichever endpoint answers, so a disconnect, a server restart or a leader change loses and repeats nothing. A 401
/// (index cleared) becomes a read of the key and a <see cref="WatchUpdateKind.Resync"/> item, not the end of the stream.
/// </summary>
internal sealed class KeyWatcher(KeysApi keys, EtcdTransport transport, ILogger logger, TimeSpan maxBackoff)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);

    public async IAsyncEnumerable<WatchUpdate> WatchAsync(string key, bool recursive, long fromIndex, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var failures = 0;
        var waitIndex = fromIndex;
        while (waitIndex <= 0)
        {
            // "From now" is pinned to an index before the first poll, so a poll cut off early cannot skip to a later "now".
            var now = await TryReadAsync(key, recursive, cancellationToken);
            if (now is not null)
            {
                waitIndex = now.Index + 1;
            }
            else
            {
                await BackOffAsync(key, "no endpoint answered", waitIndex, ++failures, cancellationToken);
            }
        }

        while (true)
        {
            var (update, error) = await PollOnceAsync(key, recursive, waitIndex, cancellationToken);
            if (error is not null)
            {
                await BackOffAsync(key, error, waitIndex, ++failures, cancellationToken);
                continue;
            }

            failures = 0;
            if (update is null)
            {
                continue;
            }

            waitIndex = update.Index + 1;
            yield return update;
        }
    }

    /// <summary>One long poll: an event, a resync, null for an idle poll closed empty, or the error that ended it.</summary>
    private async Task<(WatchUpdate? Update, string? Error)> PollOnceAsync(string key, bool recursive, long waitIndex, CancellationToken cancellationToken)
    {
        try
        {
            var response = await transport.SendAsync(KeysApi.WatchRequest(key, recursive, waitIndex), cancellationToken);
            if (string.IsNullOrWhiteSpace(response.Body) && (int)response.Status < 400)
            {
                // etcd closes an idle long poll with an empty 200: wait again from the same index.
                return (null, null);
            }

            var next = KeysApi.ParseEvent(response);
            return (new WatchUpdate(WatchUpdateKind.Event, next.Node?.ModifiedIndex ?? waitIndex) { Event = next }, null);
        }
        catch (EtcdException exception) when (exception.ErrorCode == EtcdErrorCode.EventIndexCleared)
        {
            var snapshot = await TryReadAsync(key, recursive, cancellationToken);
            if (snapshot is null)
            {
                return (null, "the resynchronising read failed on every endpoint");
            }

            ClientLog.WatchResynced(logger, key, waitIndex, snapshot.Index);
            ClientTelemetry.WatchResyncs.Add(1);
            return (snapshot, null);
        }
        catch (ClusterException exception)
        {
            return (null, exception.Message);
        }
    }

    /// <summary>The key's state and the index it is valid at; a missing key is a null snapshot. Null when nobody answered.</summary>
    private async Task<WatchUpdate?> TryReadAsync(string key, bool recursive, CancellationToken cancellationToken)
    {
        try
        {
            var read = await keys.GetAsync(key, new GetOptions { Recursive = recursive, Sorted = true }, cancellationToken);
            return new WatchUpdate(WatchUpdateKind.Resync, read.EtcdIndex) { Snapshot = read.Node };
        }
        catch (EtcdException exception) when (exception.ErrorCode == EtcdErrorCode.KeyNotFound)
        {
            return new WatchUpdate(WatchUpdateKind.Resync, exception.Index);
        }
        catch (ClusterException)
        {
            return null;
        }
    }

    private async Task BackOffAsync(string key, string error, long waitIndex, int failures, CancellationToken cancellationToken)
    {
        // Exponential up to the bound, with full jitter so many watchers of a restarted server do not reconnect in step.
        var ceiling = Math.Min(maxBackoff.TotalMilliseconds, FirstBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16)));
        var delay = TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
        ClientLog.WatchReconnecting(logger, key, error, waitIndex, delay);
        ClientTelemetry.WatchReconnects.Add(1);
        await Task.Delay(delay, cancellationToken);
    }
}
