using System.Buffers;
using System.Globalization;
using System.Text;
using KvDirectory.Server.Configuration;
using KvDirectory.Server.Hosting;
using Microsoft.Extensions.Primitives;

// The load benchmark's Kestrel ceiling (--ceiling): Kestrel hosted and configured as src/KvDirectory.Server hosts it
// (slim builder, same limits, same runtime settings), answering every request with a fixed answer of the size and
// headers our server sends for the benchmark's requests. What it serves per second on a machine is the most any
// server on this stack can; our server's distance to it is what our own code costs.
// Watches: a GET ?wait=true is parked as our server parks one (status and headers flushed at once, chunked) until a
// PUT of the same key releases every parked poll with one fixed event; /v2/stats/store counts the parked polls.
// Flags as etcd names them (only --listen-client-urls and --data-dir matter); the benchmark's key count and value
// size in KVDIRECTORY_CONSTANT_KEYS and KVDIRECTORY_CONSTANT_VALUE_BYTES.
ReadyToRunExclusion.ApplyByReexecuting();
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [.. args, ServerHost.NoConfigurationReload] });
builder.Configuration.AddCommandLine(args);
var options = builder.Configuration.Get<ServerOptions>() ?? new ServerOptions();
var limits = builder.Configuration.Get<RequestLimitOptions>() ?? new RequestLimitOptions();
builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
builder.WebHost.UseUrls([.. options.ListenClientUrlList]);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    KestrelLimits.Apply(kestrel.Limits, options, limits);
});

// The benchmark copies a stopped server's data dir for its cold starts: leave one, empty.
Directory.CreateDirectory(options.DataDir);
var answers = new ConstantAnswers(Setting("KVDIRECTORY_CONSTANT_KEYS", 10_000), Setting("KVDIRECTORY_CONSTANT_VALUE_BYTES", 100));
var watches = new ParkedPolls();

var app = builder.Build();
app.Run(context =>
{
    var request = context.Request;
    var response = context.Response;
    if (request.Path.Equals("/health", StringComparison.Ordinal))
    {
        return Write(response, answers.Health, "text/plain; charset=utf-8", etcdHeaders: false);
    }

    if (request.Path.Equals("/v2/stats/store", StringComparison.Ordinal))
    {
        return Write(response, Encoding.UTF8.GetBytes($"{{\"watchers\":{watches.Count}}}"), "application/json", etcdHeaders: false);
    }

    var watched = request.Path.Equals(ConstantAnswers.WatchPath, StringComparison.Ordinal);
    if (watched && HttpMethods.IsGet(request.Method) && request.Query["wait"] == "true")
    {
        return ParkAsync(context);
    }

    // A PUT (preload, mixed, the fan-out's writes) is answered as our server answers an overwrite, and releases the
    // polls parked on its key; a GET of the directory as the recursive listing of every preloaded key; any other GET
    // as one key.
    if (HttpMethods.IsPut(request.Method) && watched)
    {
        watches.Release();
    }

    var body = HttpMethods.IsPut(request.Method) ? answers.Put
        : request.Path.Equals("/v2/keys/bench", StringComparison.Ordinal) ? answers.Directory
        : answers.Get;
    return Write(response, body, "application/json", etcdHeaders: true);
});
await app.RunAsync();
return 0;

Task Write(HttpResponse response, byte[] body, string contentType, bool etcdHeaders)
{
    SetHeaders(response, contentType, etcdHeaders);
    response.ContentLength = body.Length;
    return response.Body.WriteAsync(body).AsTask();
}

void SetHeaders(HttpResponse response, string contentType, bool etcdHeaders)
{
    var headers = response.Headers;
    headers.ContentType = contentType;
    headers.AccessControlAllowHeaders = ConstantAnswers.AllowHeaders;
    headers.AccessControlAllowMethods = ConstantAnswers.AllowMethods;
    headers.AccessControlAllowOrigin = ConstantAnswers.AllowOrigin;
    if (etcdHeaders)
    {
        headers["X-Etcd-Cluster-Id"] = ConstantAnswers.ClusterId;
        headers["X-Etcd-Index"] = answers.EtcdIndex;
        headers["X-Raft-Index"] = answers.RaftIndex;
        headers["X-Raft-Term"] = ConstantAnswers.RaftTerm;
    }
}

// Parked as WatchAnswer parks: status and headers flushed at once (chunked), then the event and the end of the answer.
async Task ParkAsync(HttpContext context)
{
    var aborted = context.RequestAborted;
    var poll = watches.Park();
    using var leaving = aborted.UnsafeRegister(static poll => ((ParkedPoll)poll!).Resume(answered: false), poll);
    var response = context.Response;
    SetHeaders(response, "application/json", etcdHeaders: true);
    await response.StartAsync(aborted);
    await response.Body.FlushAsync(aborted);
    if (await poll.WaitAsync())
    {
        response.BodyWriter.Write(answers.WatchEvent);
        await response.CompleteAsync();
    }
}

static int Setting(string name, int fallback) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

/// <summary>
/// The bodies our server sends after the benchmark's preload of <c>/bench/k0</c> … <c>/bench/kN-1</c> (key i written
/// at index i+1), byte for byte in shape and size; a single key is a middle one, so its numbers have the usual digits.
/// </summary>
internal sealed class ConstantAnswers
{
    public static readonly StringValues AllowHeaders = "accept, content-type, authorization";
    public static readonly StringValues AllowMethods = "POST, GET, OPTIONS, PUT, DELETE";
    public static readonly StringValues AllowOrigin = "*";
    public static readonly StringValues ClusterId = "d1cfaf999eb97a2a";
    public static readonly StringValues RaftTerm = "2";

    /// <summary>The key the watch fan-out parks its polls on and then writes ("before", then "after" once they are parked).</summary>
    public const string WatchPath = "/v2/keys/bench-watch/key";

    public ConstantAnswers(int keys, int valueBytes)
    {
        var value = new string('v', valueBytes);
        string Node(int key, long index) => string.Create(CultureInfo.InvariantCulture,
            $"{{\"key\":\"/bench/k{key}\",\"value\":\"{value}\",\"modifiedIndex\":{index},\"createdIndex\":{index}}}");
        string WatchNode(string value, long index) => string.Create(CultureInfo.InvariantCulture,
            $"{{\"key\":\"{WatchPath["/v2/keys".Length..]}\",\"value\":\"{value}\",\"modifiedIndex\":{index},\"createdIndex\":{index}}}");
        var middle = keys / 2;
        Get = Encoding.UTF8.GetBytes($"{{\"action\":\"get\",\"node\":{Node(middle, middle + 1)}}}\n");
        Put = Encoding.UTF8.GetBytes($"{{\"action\":\"set\",\"node\":{Node(middle, keys + 1)},\"prevNode\":{Node(middle, middle + 1)}}}\n");
        WatchEvent = Encoding.UTF8.GetBytes(
            $"{{\"action\":\"set\",\"node\":{WatchNode("after", keys + 2)},\"prevNode\":{WatchNode("before", keys + 1)}}}\n");
        Directory = Encoding.UTF8.GetBytes(
            $"{{\"action\":\"get\",\"node\":{{\"key\":\"/bench\",\"dir\":true,\"nodes\":[{string.Join(',', Enumerable.Range(0, keys).Select(k => Node(k, k + 1)))}],\"modifiedIndex\":1,\"createdIndex\":1}}}}\n");
        EtcdIndex = keys.ToString(CultureInfo.InvariantCulture);
        RaftIndex = (keys + 3).ToString(CultureInfo.InvariantCulture);
    }

    public byte[] Health { get; } = "{\"health\":\"true\"}"u8.ToArray();

    public byte[] Get { get; }

    public byte[] Put { get; }

    public byte[] Directory { get; }

    /// <summary>The one event a parked poll is answered with: the fan-out's second write over its first.</summary>
    public byte[] WatchEvent { get; }

    public StringValues EtcdIndex { get; }

    public StringValues RaftIndex { get; }
}
