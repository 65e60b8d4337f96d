using Polly;
using Polly.Retry;

namespace KvDirectory.Transport;

/// <summary>
/// How a peer is dialed again after a failure (Polly): exponential backoff from <c>initial</c> doubling up to <c>max</c>,
/// without end, until the dial succeeds or the caller's token is cancelled. No jitter: only a handful of peers dial
/// each other, so there is no thundering herd to spread.
/// </summary>
public static class PeerDialPolicy
{
    public static ResiliencePipeline Create(TimeSpan initial, TimeSpan max, Action<Exception> onFailure) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                // A dial that timed out is retried; one cancelled because the node stops is not.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } error &&
                    !args.Context.CancellationToken.IsCancellationRequested &&
                    IsConnectionFailure(error)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = initial,
                MaxDelay = max,
                UseJitter = false,
                OnRetry = args =>
                {
                    onFailure(args.Outcome.Exception!);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>A failure that another dial may cure: refused, reset, timed out, or a peer that answered garbage.</summary>
    public static bool IsConnectionFailure(Exception error) =>
        error is System.Net.Sockets.SocketException or IOException or OperationCanceledException or FormatException;
}
