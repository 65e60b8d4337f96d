using System.Runtime.CompilerServices;
using System.Text.Json;
using KvDirectory.Protocol;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace KvDirectory.Client;

/// <summary>The typed <c>/v2/keys</c> API. Answers carry the <c>X-Etcd-Index</c> in <see cref="EtcdEvent.EtcdIndex"/>; errors raise <see cref="EtcdException"/>.</summary>
public sealed class KeysApi
{
    private readonly EtcdTransport _transport;
    private readonly KeyWatcher _watcher;

    internal KeysApi(EtcdTransport transport, ILogger logger)
    {
        _transport = transport;
        _watcher = new KeyWatcher(this, transport, logger, TimeSpan.FromSeconds(1));
    }

    public async Task<EtcdEvent> GetAsync(string key, GetOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new GetOptions();
        var query = GoUrl.EncodeQuery(
        [
            new("recursive", Bool(options.Recursive)),
            new("sorted", Bool(options.Sorted)),
            new("quorum", Bool(options.Quorum)),
        ]);
        return await SendAsync(new EtcdRequest(HttpMethod.Get, GoUrl.KeyPath(key) + "?" + query) { Idempotent = true }, cancellationToken);
    }

    public async Task<EtcdEvent> SetAsync(string key, string value, SetOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SetOptions();
        var query = new List<KeyValuePair<string, string>>();
        var form = new List<KeyValuePair<string, string>>();
        if (options.Dir)
        {
            query.Add(new("dir", "true"));
        }
        else
        {
            if (!string.IsNullOrEmpty(options.PrevValue))
            {
                query.Add(new("prevValue", options.PrevValue));
            }

            form.Add(new("value", value));
        }

        if (options.PrevIndex != 0)
        {
            query.Add(new("prevIndex", options.PrevIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (options.PrevExist != PrevExistCondition.Ignore)
        {
            query.Add(new("prevExist", Bool(options.PrevExist == PrevExistCondition.MustExist)));
        }

        AddTtl(form, options.Ttl);
        if (options.Refresh)
        {
            form.Add(new("refresh", "true"));
        }

        // Setting a value again leaves the same value; a condition, a directory creation or a refresh would fail or differ.
        var idempotent = !options.Dir && !options.Refresh && string.IsNullOrEmpty(options.PrevValue) && options.PrevIndex == 0 && options.PrevExist == PrevExistCondition.Ignore;
        return await SendAsync(WithQuery(HttpMethod.Put, key, query) with { Body = GoUrl.EncodeQuery(form), Idempotent = idempotent }, cancellationToken);
    }

    /// <summary>POST: a new key named by the etcd index inside directory <paramref name="dir"/>.</summary>
    public async Task<EtcdEvent> CreateInOrderAsync(string dir, string value, TimeSpan ttl = default, CancellationToken cancellationToken = default)
    {
        var form = new List<KeyValuePair<string, string>> { new("value", value) };
        AddTtl(form, ttl);
        return await SendAsync(new EtcdRequest(HttpMethod.Post, GoUrl.KeyPath(dir)) { Body = GoUrl.EncodeQuery(form) }, cancellationToken);
    }

    public async Task<EtcdEvent> DeleteAsync(string key, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DeleteOptions();
        var query = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrEmpty(options.PrevValue))
        {
            query.Add(new("prevValue", options.PrevValue));
        }

        if (options.PrevIndex != 0)
        {
            query.Add(new("prevIndex", options.PrevIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (options.Dir)
        {
            query.Add(new("dir", "true"));
        }

        if (options.Recursive)
        {
            query.Add(new("recursive", "true"));
        }

        return await SendAsync(WithQuery(HttpMethod.Delete, key, query), cancellationToken);
    }

    /// <summary>
    /// Long-polls for changes of <paramref name="key"/>. Each event is followed by a wait from its modifiedIndex + 1,
    /// so a consumer sees every event exactly once, in order.
    /// </summary>
    public async IAsyncEnumerable<EtcdEvent> WatchAsync(string key, WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new WatchOptions();
        var cursor = new WatchCursor(options.AfterIndex > 0 ? options.AfterIndex + 1 : 0);
        var pipeline = options.Reconnect ? BuildReconnectPipeline(options.MaxBackoff) : ResiliencePipeline.Empty;
        while (true)
        {
            var next = await pipeline.ExecuteAsync(token => new ValueTask<EtcdEvent?>(WaitOnceAsync(key, options.Recursive, cursor, token)), cancellationToken);
            if (next is null)
            {
                continue;
            }

            cursor.WaitIndex = next.Node?.ModifiedIndex + 1 ?? cursor.WaitIndex;
            yield return next;
        }
    }

    /// <summary>
    /// Follows <paramref name="key"/> (and, if <paramref name="recursive"/>, everything beneath it) for as long as the
    /// caller enumerates: every change from <paramref name="fromIndex"/> on (0: from now) exactly once and in order, across
    /// disconnects, server restarts and leader changes (endpoints are failed over, polls resumed by index). If the server
    /// has cleared the history the watch needs (etcd error 401), a <see cref="WatchUpdateKind.Resync"/> item carries the
    /// key's state read afresh and the watch goes on from there. Only cancellation ends it.
    /// </summary>
    public IAsyncEnumerable<WatchUpdate> WatchAsync(string key, bool recursive, long fromIndex, CancellationToken cancellationToken = default) =>
        _watcher.WatchAsync(key, recursive, fromIndex, cancellationToken);

    internal static EtcdRequest WatchRequest(string key, bool recursive, long waitIndex)
    {
        var query = GoUrl.EncodeQuery(
        [
            new("wait", "true"),
            new("waitIndex", waitIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("recursive", Bool(recursive)),
        ]);
        return new EtcdRequest(HttpMethod.Get, GoUrl.KeyPath(key) + "?" + query) { IsWatch = true, Idempotent = true };
    }

    internal static EtcdEvent ParseEvent(EtcdResponse response)
    {
        if ((int)response.Status >= 400)
        {
            throw ParseError(response);
        }

        var parsed = JsonSerializer.Deserialize(response.Body, ProtocolJsonContext.Default.EtcdEvent)
            ?? throw new EtcdException(EtcdErrorCode.ClientInternal, "empty answer");
        return parsed with { EtcdIndex = response.EtcdIndex ?? 0 };
    }

    internal static Exception ParseError(EtcdResponse response)
    {
        try
        {
            var error = JsonSerializer.Deserialize(response.Body, ProtocolJsonContext.Default.EtcdError);
            if (error is not null && error.ErrorCode != 0)
            {
                return EtcdException.FromError(error);
            }
        }
        catch (JsonException)
        {
        }

        return new HttpRequestException($"unexpected answer {(int)response.Status}: {response.Body.Trim()}", null, response.Status);
    }

    private async Task<EtcdEvent?> WaitOnceAsync(string key, bool recursive, WatchCursor cursor, CancellationToken cancellationToken)
    {
        var response = await _transport.SendAsync(WatchRequest(key, recursive, cursor.WaitIndex), cancellationToken);
        if (cursor.WaitIndex == 0 && response.EtcdIndex is { } registeredAt)
        {
            // A "from now" watch that gets cut off must resume from the moment it was registered, not from a later "now".
            cursor.WaitIndex = registeredAt + 1;
        }

        if (string.IsNullOrWhiteSpace(response.Body) && (int)response.Status < 400)
        {
            // etcd closes an idle long poll with an empty 200: wait again from the same index, as the Go client does.
            return null;
        }

        return ParseEvent(response);
    }

    private static ResiliencePipeline BuildReconnectPipeline(TimeSpan maxBackoff) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ClusterException>(),
                MaxRetryAttempts = int.MaxValue,
                Delay = TimeSpan.FromMilliseconds(50),
                MaxDelay = maxBackoff,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();

    private async Task<EtcdEvent> SendAsync(EtcdRequest request, CancellationToken cancellationToken) =>
        ParseEvent(await _transport.SendAsync(request, cancellationToken));

    private static EtcdRequest WithQuery(HttpMethod method, string key, List<KeyValuePair<string, string>> query)
    {
        var path = GoUrl.KeyPath(key);
        return new EtcdRequest(method, query.Count == 0 ? path : path + "?" + GoUrl.EncodeQuery(query));
    }

    private static void AddTtl(List<KeyValuePair<string, string>> form, TimeSpan ttl)
    {
        if (ttl > TimeSpan.Zero)
        {
            form.Add(new("ttl", ((long)ttl.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>The index the next long poll waits from; moves forward only.</summary>
    private sealed class WatchCursor(long waitIndex)
    {
        public long WaitIndex { get; set; } = waitIndex;
    }
}
