using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace KvDirectory.Client;

/// <summary>
/// Sends one call to the cluster. Endpoints are tried starting from the last one that answered; a connection error, a
/// header timeout or a 5xx moves an idempotent call on to the next endpoint, as etcd's Go client does, while a
/// non-idempotent one moves on only if the failed endpoint never saw it (<see cref="EtcdRequest.Idempotent"/>). When
/// every endpoint failed, an idempotent call is retried with exponential backoff and jitter; a total timeout bounds the lot.
/// </summary>
internal sealed class EtcdTransport : IDisposable
{
    private readonly EndpointCaller _caller;
    private readonly EndpointBreakers _breakers;
    private readonly ILogger _logger;
    private readonly HttpClient? _ownedHttp;
    private readonly ResiliencePipeline _idempotentPipeline;
    private readonly ResiliencePipeline _pipeline;
    private volatile Uri? _preferred;

    /// <param name="http">Where each request gets its HttpClient (IHttpClientFactory); null: one owned HttpClient.</param>
    public EtcdTransport(EtcdClientOptions options, Func<HttpClient>? http, ILogger logger)
    {
        if (options.Endpoints.Count == 0)
        {
            throw new ArgumentException("at least one endpoint is required", nameof(options));
        }

        Endpoints = options.Endpoints;
        _logger = logger;
        if (http is null)
        {
            // Deadlines are per request (header timeout) or per call (caller's token); watches must be able to wait forever.
            _ownedHttp = new HttpClient(EtcdHttpHandlerFactory.Create(options)) { Timeout = Timeout.InfiniteTimeSpan };
            http = () => _ownedHttp;
        }

        _caller = new EndpointCaller(options, http);
        _breakers = new EndpointBreakers(options.CircuitBreakDuration, logger);
        _pipeline = BuildPipeline(options, retry: false);
        _idempotentPipeline = BuildPipeline(options, retry: true);
    }

    /// <summary>The endpoints in the order they are tried; replaced after a member sync.</summary>
    public IReadOnlyList<Uri> Endpoints { get; set; }

    public async Task<EtcdResponse> SendAsync(EtcdRequest request, CancellationToken cancellationToken)
    {
        using var activity = ClientTelemetry.ActivitySource.StartActivity(request.Method.Method + " " + PathOf(request), ActivityKind.Client);
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (request.IsWatch)
            {
                return await FailoverAsync(request, activity, cancellationToken);
            }

            var pipeline = request.Idempotent ? _idempotentPipeline : _pipeline;
            return await pipeline.ExecuteAsync(token => new ValueTask<EtcdResponse>(FailoverAsync(request, activity, token)), cancellationToken);
        }
        catch (TimeoutRejectedException exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw new ClusterException([$"client: call exceeded its total timeout of {exception.Timeout}"], allConnectionErrors: true)
            {
                OutcomeUnknown = !request.Idempotent,
            };
        }
        catch (Exception exception) when (exception is ClusterException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
        finally
        {
            ClientTelemetry.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("method", request.Method.Method));
        }
    }

    /// <summary>One request to one given endpoint, no failover (health and status of a named member).</summary>
    public Task<EtcdResponse> SendToAsync(Uri endpoint, EtcdRequest request, CancellationToken cancellationToken) =>
        _caller.SendToAsync(endpoint, request, cancellationToken);

    public void Dispose() => _ownedHttp?.Dispose();

    private async Task<EtcdResponse> FailoverAsync(EtcdRequest request, Activity? activity, CancellationToken cancellationToken)
    {
        var endpoints = Endpoints;
        var first = _preferred is { } preferred ? Math.Max(0, IndexOf(endpoints, preferred)) : 0;
        var errors = new List<string>();
        var allConnectionErrors = true;
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[(first + i) % endpoints.Count];
            try
            {
                var response = await _breakers.ExecuteAsync(endpoint, token => _caller.SendToAsync(endpoint, request, token), cancellationToken);
                _preferred = endpoint;
                activity?.SetTag("server.address", endpoint.Authority);
                return response;
            }
            catch (EndpointFailure failure)
            {
                errors.Add(failure.Message);
                allConnectionErrors &= failure.IsConnectionError;
                if (!request.Idempotent && !failure.NeverSent)
                {
                    ClientLog.OutcomeUnknown(_logger, request.Method.Method, PathOf(request), endpoint, failure.Message);
                    throw new ClusterException(errors, allConnectionErrors) { OutcomeUnknown = true };
                }

                if (i + 1 < endpoints.Count)
                {
                    ClientLog.FailingOver(_logger, endpoint, request.Method.Method, PathOf(request), failure.Message);
                    ClientTelemetry.Failovers.Add(1);
                }
            }
        }

        throw new ClusterException(errors, allConnectionErrors);
    }

    private ResiliencePipeline BuildPipeline(EtcdClientOptions options, bool retry)
    {
        var builder = new ResiliencePipelineBuilder();
        if (options.TotalTimeout is { } total && total > TimeSpan.Zero)
        {
            builder.AddTimeout(total);
        }

        if (retry && options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ClusterException>(e => !e.OutcomeUnknown),
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    ClientTelemetry.Retries.Add(1);
                    ClientLog.Retrying(_logger, args.Outcome.Exception?.Message ?? "no answer", args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    private static int IndexOf(IReadOnlyList<Uri> endpoints, Uri endpoint)
    {
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (endpoints[i] == endpoint)
            {
                return i;
            }
        }

        return -1;
    }

    private static string PathOf(EtcdRequest request)
    {
        var query = request.PathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? request.PathAndQuery : request.PathAndQuery[..query];
    }
}
