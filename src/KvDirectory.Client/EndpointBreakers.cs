using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace KvDirectory.Client;

/// <summary>
/// One Polly circuit breaker per endpoint: an endpoint that keeps failing is skipped for a while instead of costing
/// every call a connect timeout, and is probed again once the break is over.
/// </summary>
internal sealed class EndpointBreakers(TimeSpan breakDuration, ILogger logger)
{
    private readonly ConcurrentDictionary<Uri, ResiliencePipeline<EtcdResponse>> _pipelines = new();

    public async Task<EtcdResponse> ExecuteAsync(Uri endpoint, Func<CancellationToken, Task<EtcdResponse>> call, CancellationToken cancellationToken)
    {
        if (breakDuration <= TimeSpan.Zero)
        {
            return await call(cancellationToken);
        }

        try
        {
            return await _pipelines.GetOrAdd(endpoint, Build).ExecuteAsync(token => new ValueTask<EtcdResponse>(call(token)), cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            throw new EndpointFailure($"client: endpoint {endpoint.GetLeftPart(UriPartial.Authority)} skipped: its circuit is open", isConnectionError: true, neverSent: true);
        }
    }

    private ResiliencePipeline<EtcdResponse> Build(Uri endpoint) =>
        new ResiliencePipelineBuilder<EtcdResponse>()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<EtcdResponse>
            {
                ShouldHandle = new PredicateBuilder<EtcdResponse>().Handle<EndpointFailure>(),
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = breakDuration < TimeSpan.FromMilliseconds(500) ? TimeSpan.FromMilliseconds(500) : breakDuration,
                OnOpened = args =>
                {
                    ClientLog.CircuitOpened(logger, endpoint, args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    ClientLog.CircuitClosed(logger, endpoint);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
