using BenchmarkDotNet.Attributes;
using KvDirectory.Node;
using KvDirectory.Protocol;
using KvDirectory.Raft;
using KvDirectory.Raft.Benchmarks;
using KvDirectory.Server.Http;
using KvDirectory.Server.Keys;
using KvDirectory.Storage;
using KvDirectory.Store;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Benchmarks.Micro;

/// <summary>
/// The steps of a <c>PUT /v2/keys/bench/kN</c> (100-byte value), each alone, as the server runs them: parse the form and
/// the key request, build and encode the store command, commit it through Raft, append it to the WAL, apply it to the
/// store, write the answer's JSON. The allocations per operation are exact on any machine; the times are only as good
/// as the machine is quiet.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private const string Form = "value=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv";
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ConsensusStatus _status = new(2, 10_001, 1, NodeRole.Leader);
    private SetCommand _command = null!;
    private byte[] _encoded = null!;
    private V2Store _store = null!;
    private EtcdEvent _event = null!;
    private PerfectCluster _cluster = null!;
    private WriteAheadLog _wal = null!;
    private string _walDirectory = null!;
    private ulong _walIndex;
    private int _key;

    [GlobalSetup]
    public void Setup()
    {
        _command = new SetCommand("/bench/k1", false, BenchStore.Value, null, false);
        _encoded = StoreCommandCodec.Encode(_command);
        _store = BenchStore.Create();

        for (var i = 0; i < 100; i++)
        {
            _store.Set($"/small/k{i}", false, _command.Value, null, false);
        }

        _event = _store.Set("/bench/k1", false, _command.Value, null, false);
        _cluster = new PerfectCluster(3);
        _walDirectory = Path.Combine(Path.GetTempPath(), $"kvdirectory-micro-wal-{Guid.NewGuid():N}");
        (_wal, _) = WriteAheadLog.Open(_walDirectory);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _wal.Dispose();
        Directory.Delete(_walDirectory, recursive: true);
    }

    /// <summary>Go's form parsing, etcd's parameter checks and the store command, as KeysEndpoints does them for a PUT.</summary>
    [Benchmark]
    public StoreCommand ParseRequest()
    {
        var form = new FormValues();
        GoQueryParser.ParseInto(Form, form);
        var request = KeyRequestParser.Parse("PUT", "/bench/k1", form);
        return KeyCommandFactory.Create(request, Now);
    }

    [Benchmark]
    public byte[] EncodeCommand() => StoreCommandCodec.Encode(_command);

    [Benchmark]
    public StoreCommand DecodeCommand() => StoreCommandCodec.Decode(_encoded);

    /// <summary>An overwrite of one of 10,000 keys (the event, history and watcher notification included).</summary>
    [Benchmark]
    public EtcdEvent? ApplyToStore() => _store.Apply(_command with { Path = $"/bench/k{_key++ % 10_000}" });

    /// <summary>A GET of one of 10,000 keys: the lookup and the node rendered for the answer.</summary>
    [Benchmark]
    public EtcdEvent GetKey() => _store.Get($"/bench/k{_key++ % 10_000}", recursive: false, sorted: false);

    /// <summary>A GET of a 100-key directory, sorted: every child rendered.</summary>
    [Benchmark]
    public EtcdEvent GetSortedDirectory() => _store.Get("/small", recursive: false, sorted: true);

    /// <summary>The answer to a PUT: headers and the Go-escaped JSON body, to a discarding stream.</summary>
    [Benchmark]
    public Task WriteJson()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = Stream.Null;
        return EtcdResponses.WriteEventAsync(context, _event, _status, noValueOnSuccess: false);
    }

    /// <summary>The same answer without the HTTP context, into a fresh 256-byte ArrayBufferWriter as the server wrote it before SegmentedBufferWriter.</summary>
    [Benchmark]
    public int SerializeEvent()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, GoJsonEncoder.WriterOptions))
        {
            System.Text.Json.JsonSerializer.Serialize(writer, _event, ProtocolJsonContext.Default.EtcdEvent);
        }

        return buffer.WrittenCount;
    }

    /// <summary>The HTTP context the answer is written through (in the server Kestrel pools it; here it is new each time).</summary>
    [Benchmark]
    public HttpContext NewHttpContext() => new DefaultHttpContext();

    /// <summary>One entry appended and fsynced (on the temp dir's disk: the time is mostly the fsync).</summary>
    [Benchmark]
    public void AppendToWal()
    {
        _walIndex++;
        _wal.Append(new HardState(1, 1, _walIndex), [new Entry(1, _walIndex, EntryType.Normal, _encoded)]);
    }

    /// <summary>One proposal committed by three in-memory members (every Step, Ready and Advance on the way).</summary>
    [Benchmark]
    public ulong RaftCommit()
    {
        _cluster.Leader.TryPropose(_encoded);
        _cluster.Settle();
        if (_cluster.AppliedOnLeader % 1024 == 0)
        {
            _cluster.Compact();
        }

        return _cluster.AppliedOnLeader;
    }
}
