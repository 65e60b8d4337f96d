using KvDirectory.Client;
using Polly;
using Polly.Retry;

namespace KvDirectory.Cli.Migration;

/// <summary>
/// Reads and writes of a transfer that got no answer (every endpoint unreachable, timed out or 5xx) are tried again
/// with backoff: one slow answer must not end a copy of a million keys, and every request a transfer makes may safely
/// be repeated.
/// </summary>
public static class TransferRetry
{
    public static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ClusterException>(),
            MaxRetryAttempts = 6,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();
}
