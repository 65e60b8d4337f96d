using System.Globalization;
using KvDirectory.Benchmarks.Cluster;
using KvDirectory.Benchmarks.Single;

namespace KvDirectory.Benchmarks;

/// <summary>
/// Command line (single node, the default): --rounds N, --modes warm,cold, --workloads put,get,qget,mixed,cas,rget,watch,
/// --cold-warmup seconds, --watchers N, --cpu-tail seconds, --variant NAME:VAR=VALUE[,VAR=VALUE] (our server again with
/// other runtime settings, or dll=PATH for another build of it), --smoke (a quick complete run, e.g. in CI);
/// --duration seconds, --warmup seconds, --connections N, --keys N, --seed N, --server-only etcd|kvdirectory,
/// --target URL (an already running server, e.g. to profile it); --cluster (three members of each server instead of one;
/// then the duration defaults to 5 s and the warmup to 1 s), --json PATH (where the cluster mode writes its report),
/// --heartbeat-interval ms, --election-timeout ms (both clusters; etcd's defaults 100 and 1000); --million (load a million
/// 64-byte keys into each server, restart it, report RSS and restart time; --keys and --value-bytes change the size).
/// </summary>
public sealed record BenchmarkOptions(TimeSpan Duration, TimeSpan Warmup, int Connections, int Keys, int ValueBytes, int Seed, IReadOnlyList<string> Servers, Uri? Target = null)
{
    public bool Cluster { get; init; }

    /// <summary>--million: RSS after loading a million keys, and restart time and RSS after a restart (<see cref="Single.MillionKeysBenchmark"/>).</summary>
    public bool Million { get; init; }

    /// <summary>Where <see cref="Cluster"/> mode writes its JSON report; null: a file named after the start time in the temp dir.</summary>
    public string? JsonPath { get; init; }

    public ClusterTimings Timings { get; init; } = new();

    /// <summary>Rounds of the single-node benchmark; the table shows the median of each figure over them.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>"warm", "cold" or both.</summary>
    public IReadOnlyList<string> Modes { get; init; } = ["warm", "cold"];

    public IReadOnlyList<SingleWorkload> Workloads { get; init; } = SingleWorkload.All;

    /// <summary>The warm-up of a cold window: the load starts this long after the fresh process answered /health.</summary>
    public TimeSpan ColdWarmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Parked long polls of the watch fan-out.</summary>
    public int Watchers { get; init; } = 10_000;

    /// <summary>How long after the load stopped the server's CPU is still counted to the window (at least 1 s: the idle second).</summary>
    public TimeSpan CpuTail { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Extra variants of our server measured next to etcd and the built one.</summary>
    public IReadOnlyList<ServerVariant> Variants { get; init; } = [];

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), 64, 10_000, 100, Environment.TickCount, ["etcd", "kvdirectory"]);
        var durationGiven = false;
        var warmupGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            TimeSpan NextSeconds() => TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture));
            string[] NextList() => Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            TimeSpan GivenSeconds(ref bool given, double? seconds = null)
            {
                given = true;
                return seconds is { } s ? TimeSpan.FromSeconds(s) : NextSeconds();
            }

            options = args[i] switch
            {
                "--duration" => options with { Duration = GivenSeconds(ref durationGiven) },
                "--warmup" => options with { Warmup = GivenSeconds(ref warmupGiven) },
                "--connections" => options with { Connections = NextInt() },
                "--keys" => options with { Keys = NextInt() },
                "--value-bytes" => options with { ValueBytes = NextInt() },
                "--seed" => options with { Seed = NextInt() },
                "--server-only" => options with { Servers = [ServerKind(Next())] },
                "--target" => options with { Target = new Uri(Next()), Servers = ["target"] },
                "--cluster" => options with { Cluster = true },
                "--million" => options with { Million = true },
                "--json" => options with { JsonPath = Next() },
                "--heartbeat-interval" => options with { Timings = options.Timings with { HeartbeatMilliseconds = NextInt() } },
                "--election-timeout" => options with { Timings = options.Timings with { ElectionMilliseconds = NextInt() } },
                "--rounds" => options with { Rounds = NextInt() },
                "--modes" => options with { Modes = [.. NextList().Select(Mode)] },
                "--workloads" => options with { Workloads = [.. NextList().Select(SingleWorkload.Parse)] },
                "--cold-warmup" => options with { ColdWarmup = NextSeconds() },
                "--watchers" => options with { Watchers = NextInt() },
                "--cpu-tail" => options with { CpuTail = NextSeconds() },
                "--variant" => options with { Variants = [.. options.Variants, ServerVariant.Parse(Next())] },
                // About 2 s per workload and server, one round, small enough for CI: proves the harness runs end to end.
                "--smoke" => options with
                {
                    Duration = GivenSeconds(ref durationGiven, 1), Warmup = GivenSeconds(ref warmupGiven, 0.5), ColdWarmup = TimeSpan.FromSeconds(0.5),
                    Rounds = 1, Connections = 8, Keys = 500, Watchers = 200, CpuTail = TimeSpan.FromSeconds(1),
                },
                _ => throw new ArgumentException($"unknown argument {args[i]}; known: --duration --warmup --connections --keys --value-bytes --seed --server-only --target --cluster --million --json --heartbeat-interval --election-timeout --rounds --modes --workloads --cold-warmup --watchers --cpu-tail --variant --smoke"),
            };
        }

        if (options.Million)
        {
            // A million 64-byte keys unless told otherwise (issue 15's restart and RSS figures).
            options = options with
            {
                Keys = args.Contains("--keys") ? options.Keys : 1_000_000,
                ValueBytes = args.Contains("--value-bytes") ? options.ValueBytes : 64,
            };
        }

        if (options.Cluster)
        {
            if (options.Target is not null)
            {
                throw new ArgumentException("--cluster starts its own servers; it cannot be combined with --target");
            }

            // Eight windows (four workloads on two clusters): short ones keep the run to about a minute on a shared machine.
            options = options with
            {
                Duration = durationGiven ? options.Duration : TimeSpan.FromSeconds(5),
                Warmup = warmupGiven ? options.Warmup : TimeSpan.FromSeconds(1),
            };
        }

        return options;
    }

    private static string Mode(string value) =>
        value is "warm" or "cold" ? value : throw new ArgumentException("--modes takes warm, cold or warm,cold");

    private static string ServerKind(string value) =>
        value is "etcd" or "kvdirectory" ? value : throw new ArgumentException("--server-only takes etcd or kvdirectory");
}
