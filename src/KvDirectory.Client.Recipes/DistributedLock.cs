using KvDirectory.Client;
using KvDirectory.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Client.Recipes;

/// <summary>
/// A fair mutual-exclusion lock on a directory of in-order keys: every contender appends a TTL key, the lowest key holds
/// the lock, and every other contender watches only the key just before its own, so a release wakes exactly one waiter.
/// The holder's key is kept alive with <c>refresh=true</c>; a dead holder's key expires after the TTL and the next
/// contender takes over. Each acquisition carries a fencing token (the key's index, strictly increasing).
/// </summary>
public sealed class DistributedLock(EtcdClient client, string directory, TimeSpan ttl, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public string Directory { get; } = "/" + directory.Trim('/');

    public async Task<LockLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        var owner = Guid.NewGuid().ToString("N");
        var mine = await EnqueueAsync(owner, cancellationToken);
        var keepAlive = new TtlKeepAlive(
            token => client.Keys.SetAsync(mine.Key!, "", new SetOptions { Refresh = true, Ttl = ttl, PrevExist = PrevExistCondition.MustExist }, token),
            ttl,
            _logger,
            $"lock {mine.Key}");
        try
        {
            while (true)
            {
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, keepAlive.Lost);
                EtcdEvent queue;
                try
                {
                    queue = await client.Keys.GetAsync(Directory, new GetOptions { Recursive = true, Sorted = true, Quorum = true }, waiting.Token);
                }
                catch (ClusterException)
                {
                    // An outage while waiting: the key is kept alive meanwhile, so just look again.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), waiting.Token);
                    continue;
                }

                var contenders = (queue.Node?.Nodes ?? []).Where(n => !n.Dir).OrderBy(n => n.CreatedIndex).ToList();
                var position = contenders.FindIndex(n => n.Key == mine.Key);
                if (position < 0)
                {
                    throw new EtcdException(EtcdErrorCode.KeyNotFound, $"lock key {mine.Key} expired while waiting", queue.EtcdIndex);
                }

                if (position == 0)
                {
                    RecipeLog.LockAcquired(_logger, mine.Key!, mine.CreatedIndex);
                    return new LockLease(this, mine.Key!, mine.CreatedIndex, keepAlive);
                }

                await WaitForDeletionAsync(contenders[position - 1].Key!, queue.EtcdIndex + 1, waiting.Token);
            }
        }
        catch
        {
            await keepAlive.DisposeAsync();
            await DeleteQuietlyAsync(mine.Key!);
            throw;
        }
    }

    internal async Task ReleaseAsync(string key, TtlKeepAlive keepAlive)
    {
        await keepAlive.DisposeAsync();
        await DeleteQuietlyAsync(key);
    }

    /// <summary>Appends this contender's key. A POST is never retried blindly: an unknown outcome is settled by looking for it.</summary>
    private async Task<EtcdNode> EnqueueAsync(string owner, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return (await client.Keys.CreateInOrderAsync(Directory, owner, ttl, cancellationToken)).Node!;
            }
            catch (ClusterException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                try
                {
                    var queue = await client.Keys.GetAsync(Directory, new GetOptions { Recursive = true, Quorum = true }, cancellationToken);
                    if (queue.Node?.Nodes?.FirstOrDefault(n => n.Value == owner) is { } found)
                    {
                        return found;
                    }
                }
                catch (Exception exception) when (exception is ClusterException or EtcdException)
                {
                }
            }
        }
    }

    /// <summary>Watches only the predecessor until it is gone (released, expired or deleted); refreshes make no events.</summary>
    private async Task WaitForDeletionAsync(string predecessor, long fromIndex, CancellationToken cancellationToken)
    {
        await foreach (var update in client.Keys.WatchAsync(predecessor, recursive: false, fromIndex, cancellationToken))
        {
            if (update.Kind == WatchUpdateKind.Resync
                || update.Event!.Action is EtcdActions.Delete or EtcdActions.Expire or EtcdActions.CompareAndDelete)
            {
                return;
            }
        }
    }

    private async Task DeleteQuietlyAsync(string key)
    {
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.Keys.DeleteAsync(key, cancellationToken: deadline.Token);
        }
        catch (Exception exception) when (exception is ClusterException or EtcdException or OperationCanceledException)
        {
            RecipeLog.ReleaseFailed(_logger, key, exception.Message);
        }
    }
}

/// <summary>A held lock: its fencing token, and a token that fires when it may have been lost. Dispose to release.</summary>
public sealed class LockLease : IAsyncDisposable
{
    private readonly DistributedLock _lock;
    private readonly TtlKeepAlive _keepAlive;
    private int _released;

    internal LockLease(DistributedLock owner, string key, long fencingToken, TtlKeepAlive keepAlive)
    {
        _lock = owner;
        _keepAlive = keepAlive;
        Key = key;
        FencingToken = fencingToken;
    }

    public string Key { get; }

    /// <summary>Strictly increasing across acquisitions of the lock: pass it to the resource so it can refuse a stale holder.</summary>
    public long FencingToken { get; }

    /// <summary>Fires when renewals failed for two thirds of the TTL: stop using the resource, the lock may pass on.</summary>
    public CancellationToken Lost => _keepAlive.Lost;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await _lock.ReleaseAsync(Key, _keepAlive);
        }
    }
}
