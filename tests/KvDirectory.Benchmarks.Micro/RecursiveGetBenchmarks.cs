using System.Buffers;
using BenchmarkDotNet.Attributes;
using KvDirectory.Node;
using KvDirectory.Protocol;
using KvDirectory.Server.Http;
using KvDirectory.Server.Keys;
using KvDirectory.Store;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Benchmarks.Micro;

/// <summary>
/// A <c>GET /v2/keys/bench?recursive=true</c> of the load benchmark's rget: 10,000 keys of 100-byte values, about 1.3 MB
/// of JSON. The store's read straight into JSON as the server runs it, the same through records (how it ran before, and
/// how writes still answer), the JSON into a reused buffer alone, and the whole answer to a discarding stream (Kestrel's
/// copy and the socket are not here); every read renders (no listing cache), but for the kept answer's own benchmark.
/// Allocations per operation are exact.
/// </summary>
[MemoryDiagnoser]
public class RecursiveGetBenchmarks
{
    private static readonly ConsensusStatus Status = new(2, 10_001, 1, NodeRole.Leader);
    private readonly KeyRequest _request = new() { Method = HttpMethods.Get, Path = "/bench", Recursive = true };
    private readonly KeyRequest _sortedRequest = new() { Method = HttpMethods.Get, Path = "/bench", Recursive = true, Sorted = true };
    private readonly ArrayBufferWriter<byte> _buffer = new(2 << 20);
    private readonly StatusOnlyLog _log = new(Status);
    private V2Store _store = null!;
    private V2Store _keptStore = null!;
    private EtcdEvent _event = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = BenchStore.Create();
        _keptStore = BenchStore.Create(listingCache: true);

        _event = _store.Get("/bench", recursive: true, sorted: false);
    }

    /// <summary>The whole answer as the server writes it: the store's read straight into JSON, headers, the copy out.</summary>
    [Benchmark(Baseline = true)]
    public Task GetAndAnswer() => EtcdResponses.WriteGetAsync(NewContext(), _store, _request, _log);

    /// <summary>The same with <c>sorted=true</c>.</summary>
    [Benchmark]
    public Task GetAndAnswerSorted() => EtcdResponses.WriteGetAsync(NewContext(), _store, _sortedRequest, _log);

    /// <summary>The store's read into JSON alone, into a reused buffer (no buffer growth, no copy out).</summary>
    [Benchmark]
    public long StoreWriteGet()
    {
        _buffer.ResetWrittenCount();
        return _store.WriteGet("/bench", recursive: true, sorted: false, _buffer).EtcdIndex;
    }

    /// <summary>The whole answer of a listing read again while the tree is unchanged: its kept JSON, sent as it is.</summary>
    [Benchmark]
    public Task KeptListingAnswer() => EtcdResponses.WriteGetAsync(NewContext(), _keptStore, _request, _log);

    /// <summary>The read as it was answered before: records under the read lock, then serialised.</summary>
    [Benchmark]
    public Task GetRecordsAndAnswer() =>
        EtcdResponses.WriteEventAsync(NewContext(), _store.Get("/bench", recursive: true, sorted: false), Status, noValueOnSuccess: false);

    /// <summary>The records alone (what the read lock covered before).</summary>
    [Benchmark]
    public EtcdEvent StoreGetRecords() => _store.Get("/bench", recursive: true, sorted: false);

    /// <summary>The serialisation of already built records alone.</summary>
    [Benchmark]
    public Task AnswerRecords() => EtcdResponses.WriteEventAsync(NewContext(), _event, Status, noValueOnSuccess: false);

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = Stream.Null;
        return context;
    }
}
