using System.Net.Http.Headers;
using System.Text.Json;
using KvDirectory.Benchmarks.Cluster;
using KvDirectory.Testing;
using KvDirectory.Testing.Processes;

namespace KvDirectory.Benchmarks.Single;

/// <summary>
/// One server process alone on the machine for its turn: a single-member cluster on free loopback ports, on a fresh
/// data dir or on a copy of a preloaded one (a cold start that finds its data). Disposing kills it and deletes the dir,
/// unless <see cref="KeepDataAsync"/> took the dir over.
/// </summary>
public sealed class SingleNode : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly BenchmarkMember? _member;
    private readonly string? _root;
    private bool _keepData;

    private SingleNode(BenchmarkMember? member, Uri clientUrl, string? root, AuthenticationHeaderValue? authorization = null)
    {
        _member = member;
        ClientUrl = clientUrl;
        _root = root;
        Authorization = authorization;
    }

    /// <summary>
    /// Switches v2 auth on (<see cref="BenchmarkAuth"/>); later requests carry <see cref="Authorization"/>. Called after
    /// preloading: etcd's bcrypt on every signed-in request would make a 10,000-key preload take minutes.
    /// </summary>
    public async Task EnableAuthAsync(CancellationToken cancellationToken)
    {
        await BenchmarkAuth.EnableAsync(ClientUrl, cancellationToken);
        Authorization = BenchmarkAuth.User;
    }

    public Uri ClientUrl { get; }

    /// <summary>The credentials every request carries when the variant runs with auth on; null otherwise.</summary>
    public AuthenticationHeaderValue? Authorization { get; private set; }

    /// <summary>From the process start to its first successful /health answer; NaN for a server the benchmark did not start.</summary>
    public double StartSeconds { get; private set; } = double.NaN;

    /// <summary>The CPU the process burnt until its first /health answer (less sensitive to a busy machine than the wall time).</summary>
    public double StartCpuSeconds { get; private set; } = double.NaN;

    /// <summary>The node's data dir; null for a server the benchmark did not start.</summary>
    public string? DataDir => _root is null ? null : Path.Combine(_root, "data");

    /// <summary>A server someone else started (--target): no CPU figures, no restarts.</summary>
    public static SingleNode Existing(Uri clientUrl) => new(null, clientUrl, null);

    /// <summary>Starts <paramref name="variant"/>; with <paramref name="copyOf"/>, on a copy of that data dir.</summary>
    public static async Task<SingleNode> StartAsync(ServerVariant variant, string? copyOf, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var root = Path.Combine(Path.GetTempPath(), $"{variant.Kind}-bench-single-{Guid.NewGuid():N}");
            ChildProcessReaper.TrackDirectory(root);
            var dataDir = Path.Combine(root, "data");
            Directory.CreateDirectory(root);
            if (copyOf is not null)
            {
                ClusterSeed.CopyDirectory(copyOf, dataDir);
            }

            var (client, peer) = BenchmarkMember.AllocateUrls();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var member = BenchmarkMember.Start(variant.Kind, "m1", client, peer, $"m1={peer}", dataDir, new ClusterTimings(), variant.Environment, variant.ServerDll);
            // A copy of an auth variant's data dir has auth on already: it is part of the replicated state on both servers.
            var node = new SingleNode(member, client, root, variant.Auth && copyOf is not null ? BenchmarkAuth.User : null);
            try
            {
                await member.WaitUntilHealthyAsync(StartDeadline, cancellationToken);
                node.StartSeconds = clock.Elapsed.TotalSeconds;
                node.StartCpuSeconds = node.CpuSeconds();
                return node;
            }
            catch (ServerExitedException error) when (attempt < 3)
            {
                // A port picked free can be taken by someone else before the server binds it.
                Console.Error.WriteLine($"{variant.Name} exited while starting (attempt {attempt}), trying again on new ports: {error.Message}");
                await node.DisposeAsync();
            }
            catch
            {
                await node.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>utime + stime of the server process so far; NaN for a server the benchmark did not start.</summary>
    public double CpuSeconds() => _member is null ? double.NaN : MemberCounters.ReadCpuSeconds(_member.ProcessId);

    /// <summary>utime and stime of the server process apart; NaN for a server the benchmark did not start.</summary>
    public (double User, double Kernel) CpuSplit() => _member is null ? (double.NaN, double.NaN) : MemberCounters.ReadCpuSplit(_member.ProcessId);

    /// <summary>The server's resident set (VmRSS) in megabytes; NaN for a server the benchmark did not start.</summary>
    public double RssMegabytes() => _member is null ? double.NaN : MemberCounters.ReadRssMegabytes(_member.ProcessId);

    /// <summary>
    /// The server's open file descriptors (sockets included); NaN for a server the benchmark did not start. Each
    /// connection holds one, so the count tells when the server has closed the connections of a load that ended.
    /// </summary>
    public double OpenDescriptors() => _member is null ? double.NaN : MemberCounters.ReadOpenDescriptors(_member.ProcessId);

    /// <summary>
    /// Waits until the server is back to <paramref name="descriptors"/> open descriptors (give or take a few it opens
    /// for itself), at most <paramref name="deadline"/>; for a server the benchmark did not start, returns at once.
    /// </summary>
    public async Task WaitForDescriptorsAsync(double descriptors, TimeSpan deadline, CancellationToken cancellationToken)
    {
        const int Slack = 16;
        var until = DateTime.UtcNow + deadline;
        while (OpenDescriptors() > descriptors + Slack && DateTime.UtcNow < until)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>CPU so far, and from <c>/metrics</c> the WAL fsyncs, their time and the committed entries so far.</summary>
    public Task<MemberCounters> CountersAsync(HttpClient http, CancellationToken cancellationToken) =>
        MemberCounters.SampleAsync(ClientUrl, _member?.ProcessId, http, cancellationToken);

    /// <summary>The live watchers the server reports in <c>/v2/stats/store</c> (etcd and ours both count them).</summary>
    public async Task<long> WatchersAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var stats = JsonDocument.Parse(await http.GetStringAsync(new Uri(ClientUrl, "/v2/stats/store"), cancellationToken));
        return stats.RootElement.GetProperty("watchers").GetInt64();
    }

    /// <summary>Stops the server and returns its data dir, which the caller now owns (the seed of the cold starts).</summary>
    public async Task<string> KeepDataAsync()
    {
        _keepData = true;
        await DisposeAsync();
        return DataDir!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_member is not null)
        {
            await _member.DisposeAsync();
        }

        if (_root is not null && !_keepData)
        {
            DeleteDirectory(_root);
        }
    }

    public static void DeleteDirectory(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
            ChildProcessReaper.ForgetDirectory(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not delete {root}: {e.Message}");
        }
    }
}
