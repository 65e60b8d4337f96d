using BenchmarkDotNet.Attributes;
using KvDirectory.Node;
using KvDirectory.Protocol;
using KvDirectory.Server.Http;
using KvDirectory.Server.Keys;
using KvDirectory.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace KvDirectory.Benchmarks.Micro;

/// <summary>
/// The steps of a <c>GET /v2/keys/bench/kN</c> (the load benchmark's get) that are ours, each alone, as the server runs
/// them: the path middlewares and the request parsing, the store read, the answer's headers and JSON. Kestrel, routing
/// and the socket are not here (see the load benchmark's --ceiling). Allocations per operation are exact.
/// </summary>
[MemoryDiagnoser]
public class GetPathBenchmarks
{
    private const string Target = "/v2/keys/bench/k1";

    private readonly ConsensusStatus _status = new(2, 10_001, 1, NodeRole.Leader);
    private readonly KeyRequest _request = new() { Method = HttpMethods.Get, Path = Target["/v2/keys".Length..] };
    private StatusOnlyLog _log = null!;
    private V2Store _store = null!;
    private EtcdEvent _event = null!;
    private RequestDelegate _middlewares = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = BenchStore.Create();

        _event = _store.Get("/bench/k1", recursive: false, sorted: false);
        _log = new StatusOnlyLog(_status);
        // The decoding and clean-path middlewares in front of a handler that reads the form and parses the key request.
        _middlewares = new GoPathDecodingMiddleware(new GoPathMiddleware(ParseAsync).InvokeAsync).InvokeAsync;
    }

    /// <summary>A fresh context with the request line of the benchmark's GET (in the server Kestrel pools it).</summary>
    [Benchmark(Baseline = true)]
    public HttpContext NewGetContext() => NewContext();

    /// <summary>The path middlewares, the form and the key request of one GET (includes <see cref="NewGetContext"/>).</summary>
    [Benchmark]
    public Task PathAndParse() => _middlewares(NewContext());

    /// <summary>The store's read of one of 10,000 keys.</summary>
    [Benchmark]
    public EtcdEvent StoreGet() => _store.Get("/bench/k1", recursive: false, sorted: false);

    /// <summary>The answer of an already read event (how a GET answered before the store wrote its JSON; writes still do): index headers and the Go-escaped JSON body, to a discarding stream (includes a new context).</summary>
    [Benchmark]
    public Task WriteAnswer()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = Stream.Null;
        return EtcdResponses.WriteEventAsync(context, _event, _status, noValueOnSuccess: false);
    }

    /// <summary>The store's read and the answer as the server runs them now: the JSON written from the tree, headers, to a discarding stream (includes a new context).</summary>
    [Benchmark]
    public Task ReadAndAnswer()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = Stream.Null;
        return EtcdResponses.WriteGetAsync(context, _store, _request, _log);
    }

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = Target;
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = Target;
        return context;
    }

    private static async Task ParseAsync(HttpContext context)
    {
        var form = await FormReader.ReadAsync(context.Request, context.RequestAborted);
        var key = GoPath.Clean(context.Request.Path.Value!["/v2/keys".Length..]);
        KeyRequestParser.Parse(context.Request.Method, key, form);
    }
}
