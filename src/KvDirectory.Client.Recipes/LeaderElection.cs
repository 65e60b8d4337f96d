using System.Runtime.CompilerServices;
using KvDirectory.Client;
using KvDirectory.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Client.Recipes;

/// <summary>
/// Leader election on one TTL key: the candidate that creates it leads, and keeps leading only while every renewal
/// (<c>refresh=true</c> conditioned on its own value) succeeds. Others wait for the key to go and try again.
/// </summary>
public sealed class LeaderElection(EtcdClient client, string key, string candidate, TimeSpan ttl, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public string Key { get; } = "/" + key.Trim('/');

    public string Candidate { get; } = candidate;

    /// <summary>Waits until this candidate leads. The leadership's <see cref="Leadership.Lost"/> fires if it may have ended.</summary>
    public async Task<Leadership> CampaignAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            long waitFrom;
            try
            {
                await client.Keys.SetAsync(Key, Candidate, new SetOptions { Ttl = ttl, PrevExist = PrevExistCondition.MustNotExist }, cancellationToken);
                return Lead();
            }
            catch (EtcdException exception) when (exception.ErrorCode == EtcdErrorCode.NodeExist)
            {
                waitFrom = exception.Index + 1;
            }
            catch (ClusterException)
            {
                // The create may or may not have happened: the key says which.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                var current = await TryReadAsync(cancellationToken);
                if (current.Value == Candidate)
                {
                    return Lead();
                }

                if (current.Value is null)
                {
                    // Nobody leads (yet): try again rather than wait for a deletion that may never come.
                    continue;
                }

                waitFrom = current.Index + 1;
            }

            await foreach (var update in client.Keys.WatchAsync(Key, recursive: false, waitFrom, cancellationToken))
            {
                if (update.Event is { Action: EtcdActions.Create, Node.Value: var created } && created == Candidate)
                {
                    // Our own create, whose answer was lost, landed after all.
                    return Lead();
                }

                var gone = update.Kind == WatchUpdateKind.Resync
                    ? update.Snapshot is null
                    : update.Event!.Action is EtcdActions.Delete or EtcdActions.Expire or EtcdActions.CompareAndDelete;
                if (gone)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Gives up leadership if this candidate holds it; safe to call again, and after a failed attempt.</summary>
    public async Task ResignAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await client.Keys.DeleteAsync(Key, new DeleteOptions { PrevValue = Candidate }, cancellationToken);
        }
        catch (EtcdException exception) when (exception.ErrorCode is EtcdErrorCode.KeyNotFound or EtcdErrorCode.TestFailed)
        {
            // Not (or no longer) the leader: resigning is already done.
        }
    }

    /// <summary>The leader's value now and after every change (null while there is none), each change once.</summary>
    public async IAsyncEnumerable<string?> ObserveAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var current = await TryReadAsync(cancellationToken);
        yield return current.Value;
        var last = current.Value;
        await foreach (var update in client.Keys.WatchAsync(Key, recursive: false, current.Index + 1, cancellationToken))
        {
            var value = update.Kind == WatchUpdateKind.Resync
                ? update.Snapshot?.Value
                : update.Event!.Action is EtcdActions.Delete or EtcdActions.Expire or EtcdActions.CompareAndDelete ? null : update.Event.Node?.Value;
            if (value != last)
            {
                last = value;
                yield return value;
            }
        }
    }

    private Leadership Lead()
    {
        RecipeLog.BecameLeader(_logger, Key, Candidate);
        var keepAlive = new TtlKeepAlive(
            token => client.Keys.SetAsync(Key, "", new SetOptions { Refresh = true, Ttl = ttl, PrevValue = Candidate }, token),
            ttl,
            _logger,
            $"leadership of {Key}");
        return new Leadership(this, keepAlive);
    }

    private async Task<(string? Value, long Index)> TryReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var read = await client.Keys.GetAsync(Key, new GetOptions { Quorum = true }, cancellationToken);
                return (read.Node?.Value, read.EtcdIndex);
            }
            catch (EtcdException exception) when (exception.ErrorCode == EtcdErrorCode.KeyNotFound)
            {
                return (null, exception.Index);
            }
            catch (ClusterException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }
}

/// <summary>This candidate leads until <see cref="Lost"/> fires or it is disposed (which resigns).</summary>
public sealed class Leadership : IAsyncDisposable
{
    private readonly LeaderElection _election;
    private readonly TtlKeepAlive _keepAlive;

    internal Leadership(LeaderElection election, TtlKeepAlive keepAlive)
    {
        _election = election;
        _keepAlive = keepAlive;
    }

    /// <summary>Fires when the key no longer holds this candidate's value, or renewals failed long enough that it may not.</summary>
    public CancellationToken Lost => _keepAlive.Lost;

    public bool IsLeader => !Lost.IsCancellationRequested;

    public async ValueTask DisposeAsync()
    {
        await _keepAlive.DisposeAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _election.ResignAsync(deadline.Token);
        }
        catch (Exception exception) when (exception is ClusterException or OperationCanceledException)
        {
            // The key expires with its TTL.
        }
    }
}
