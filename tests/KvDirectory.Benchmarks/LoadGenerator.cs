using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace KvDirectory.Benchmarks;

/// <summary>
/// Closed-loop HTTP load: one task per connection, each sending its next request as soon as the previous answer
/// arrived, on a handler that keeps exactly that many keep-alive connections open.
/// </summary>
public sealed class LoadGenerator : IDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _baseUrl;
    private readonly BenchmarkOptions _options;
    private readonly byte[] _putBody;
    private readonly byte[] _casBody;
    private readonly string _getQuery;

    /// <param name="getQuery">Appended to every GET, e.g. <c>?quorum=true</c>.</param>
    /// <param name="authorization">Credentials every request carries (a server with auth on).</param>
    public LoadGenerator(Uri baseUrl, BenchmarkOptions options, string getQuery = "", AuthenticationHeaderValue? authorization = null)
    {
        _baseUrl = baseUrl;
        _options = options;
        _getQuery = getQuery;
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        _client.DefaultRequestHeaders.Authorization = authorization;

        var value = Value(options);
        _putBody = Encoding.ASCII.GetBytes("value=" + value);
        _casBody = Encoding.ASCII.GetBytes($"value={value}&prevValue={value}");
    }

    /// <summary>
    /// The value every PUT writes, from the seed: url-safe so the form body needs no escaping (what is measured is the
    /// server, not the encoder).
    /// </summary>
    public static string Value(BenchmarkOptions options)
    {
        var random = new Random(options.Seed);
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return new string(Enumerable.Range(0, options.ValueBytes).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }

    /// <summary>Writes every key once, so GETs find them; it also warms the connections and the JIT.</summary>
    public async Task PreloadAsync(CancellationToken cancellationToken = default)
    {
        var next = -1;
        var workers = Enumerable.Range(0, _options.Connections).Select(async _ =>
        {
            int key;
            while ((key = Interlocked.Increment(ref next)) < _options.Keys && !cancellationToken.IsCancellationRequested)
            {
                // A write the server timed out on an overloaded machine (etcd's 300, a 500) is tried again, up to 5 times.
                for (var attempt = 1; ; attempt++)
                {
                    using var response = await _client.SendAsync(Put(key), cancellationToken);
                    if (response.StatusCode != HttpStatusCode.InternalServerError || attempt == 5)
                    {
                        response.EnsureSuccessStatusCode();
                        break;
                    }
                }
            }
        });
        await Task.WhenAll(workers);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <param name="workload">The result's label; by default "PUT" or "GET".</param>
    public Task<WorkloadResult> RunAsync(string server, HttpMethod method, TimeSpan duration, string? workload = null, CancellationToken cancellationToken = default) =>
        RunAsync(server, workload ?? (method == HttpMethod.Put ? "PUT" : "GET"), random => method == HttpMethod.Get ? Get(random.Next(_options.Keys)) : Put(random.Next(_options.Keys)), duration, cancellationToken);

    /// <summary>The closed loop: each connection sends <paramref name="nextRequest"/>'s request (given its own seeded random) until the window ends.</summary>
    public async Task<WorkloadResult> RunAsync(string server, string workload, Func<Random, HttpRequestMessage> nextRequest, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var latencies = new List<long>[_options.Connections];
        var errors = 0L;
        var stopwatch = Stopwatch.StartNew();
        var deadline = stopwatch.Elapsed + duration;
        var workers = Enumerable.Range(0, _options.Connections).Select(async worker =>
        {
            var random = new Random(_options.Seed + worker);
            var mine = latencies[worker] = new List<long>(1 << 14);
            while (stopwatch.Elapsed < deadline && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await _client.SendAsync(nextRequest(random), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    await response.Content.LoadIntoBufferAsync(cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                mine.Add(Stopwatch.GetTimestamp() - started);
            }
        });
        await Task.WhenAll(workers);
        // Measured to the last answer, not the deadline: a stall at the end of the window must lower the rate.
        var elapsed = stopwatch.Elapsed;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        cancellationToken.ThrowIfCancellationRequested();
        return new WorkloadResult(server, workload, all.LongLength, errors, elapsed, Percentile(all, 0.50), Percentile(all, 0.99), Percentile(all, 1.0));
    }

    /// <summary>GET of one preloaded key; <paramref name="query"/> replaces the generator's own GET query when given.</summary>
    public HttpRequestMessage Get(int key, string? query = null) =>
        new(HttpMethod.Get, new Uri(_baseUrl, $"/v2/keys/bench/k{key}{query ?? _getQuery}"));

    /// <summary>GET of any path (e.g. the whole directory, recursively).</summary>
    public HttpRequestMessage GetPath(string pathAndQuery) => new(HttpMethod.Get, new Uri(_baseUrl, pathAndQuery));

    /// <summary>PUT of the generator's value to one key; with <paramref name="compareAndSwap"/> conditional on the value it already has (so it succeeds).</summary>
    public HttpRequestMessage Put(int key, bool compareAndSwap = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_baseUrl, $"/v2/keys/bench/k{key}"))
        {
            Content = new ByteArrayContent(compareAndSwap ? _casBody : _putBody),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return request;
    }

    public void Dispose() => _client.Dispose();

    private static double Percentile(long[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
}
