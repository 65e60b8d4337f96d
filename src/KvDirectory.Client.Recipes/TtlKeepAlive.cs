using KvDirectory.Client;
using KvDirectory.Protocol;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Client.Recipes;

/// <summary>
/// Keeps a TTL key alive with <c>refresh=true</c> writes (watchers are not woken by them) and tells its owner, through
/// <see cref="Lost"/>, when renewals have failed for so long that the key may be gone: at <c>lostAfter</c> (less than the
/// TTL) after the last success, so the owner stops before the server expires the key and someone else takes over.
/// </summary>
internal sealed class TtlKeepAlive : IAsyncDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    /// <param name="refresh">One renewal; an <see cref="EtcdException"/> means the key is no longer ours.</param>
    public TtlKeepAlive(Func<CancellationToken, Task> refresh, TimeSpan ttl, ILogger logger, string what)
    {
        var interval = ttl / 3;
        var lostAfter = ttl * 2 / 3;
        _lost.CancelAfter(lostAfter);
        _loop = Task.Run(async () =>
        {
            try
            {
                while (!_lost.IsCancellationRequested)
                {
                    await Task.Delay(interval, _stopping.Token);
                    try
                    {
                        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, _lost.Token);
                        await refresh(attempt.Token);
                        // CancelAfter re-arms the timer: the key is safe for another lostAfter from now.
                        _lost.CancelAfter(lostAfter);
                    }
                    catch (EtcdException exception)
                    {
                        RecipeLog.KeyLost(logger, what, exception.Message);
                        await _lost.CancelAsync();
                    }
                    catch (Exception exception) when (exception is ClusterException or OperationCanceledException && !_stopping.IsCancellationRequested)
                    {
                        RecipeLog.RenewalFailed(logger, what, exception.Message);
                    }
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
        });
        Lost.Register(() => RecipeLog.MayBeLost(logger, what));
    }

    public CancellationToken Lost => _lost.Token;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
        _lost.Dispose();
    }
}
