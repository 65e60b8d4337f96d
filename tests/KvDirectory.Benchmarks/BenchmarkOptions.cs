using System.Globalization;
using KvDirectory.Benchmarks.Cluster;
using KvDirectory.Benchmarks.Single;

namespace KvDirectory.Benchmarks;

/// <summary>
/// Command line (single node, the default): --rounds N, --modes warm,cold, --workloads put,get,qget,mixed,cas,rget,watch,
/// --cold-warmup seconds, --watchers N, --cpu-tail seconds, --variant NAME:VAR=VALUE[,VAR=VALUE] (our server again with
/// other runtime settings, or dll=PATH for another build of it), --smoke (a quick complete run, e.g. in CI);
/// --duration seconds, --warmup seconds, --connections N, --keys N, --seed N, --server-only etcd|kvdirectory,
/// --target URL (an already running server, e.g. to profile it); --ceiling (one more contender: Kestrel answering a fixed
/// body, <see cref="KestrelCeiling"/>); --json PATH (where the report goes); --cluster (three
/// members of each server instead of one, each cluster alone for its turn, warm and cold, --variant too; the duration
/// defaults to 3 s and the warm-up to 1 s; --workloads put-leader,put-follower,qget-follower,qget-leader),
/// --auth (single node: etcd-auth, kvdirectory-auth and kvdirectory; every request of an -auth server signed in; the
/// watch workload only when named, since etcd's per-request bcrypt makes parking 10,000 watchers take minutes),
/// --heartbeat-interval ms, --election-timeout ms (every cluster; etcd's defaults 100 and 1000); --million (load a million
/// 64-byte keys into each server, restart it, report RSS and restart time; --keys and --value-bytes change the size);
/// --generator wrk (single node: the closed-loop windows driven by wrk instead of the HttpClient, <see cref="WrkLoad"/>).
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

    public IReadOnlyList<ClusterWorkload> ClusterWorkloads { get; init; } = ClusterWorkload.All;

    /// <summary>The warm-up of a cold window: the load starts this long after the fresh process answered /health.</summary>
    public TimeSpan ColdWarmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Parked long polls of the watch fan-out.</summary>
    public int Watchers { get; init; } = 10_000;

    /// <summary>How long after the load stopped the server's CPU is still counted to the window (at least 1 s: the idle second).</summary>
    public TimeSpan CpuTail { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>--ceiling (single node): <see cref="KestrelCeiling"/> measured next to the servers, on the reads and the watch fan-out.</summary>
    public bool Ceiling { get; init; }

    /// <summary>--auth (single node): etcd and ours with v2 auth on and every request signed in, next to ours without it.</summary>
    public bool Auth { get; init; }

    /// <summary>--generator wrk: the single node's closed-loop windows driven by <see cref="WrkLoad"/>.</summary>
    public bool Wrk { get; init; }

    /// <summary>Extra variants of our server measured next to etcd and the built one.</summary>
    public IReadOnlyList<ServerVariant> Variants { get; init; } = [];

    /// <summary>The flags <see cref="Parse"/> knows, for an error and for <c>--help</c> (the README explains each).</summary>
    public const string KnownArguments =
        "known: --duration --warmup --connections --keys --value-bytes --seed --server-only --target --cluster --million --auth --ceiling --json --heartbeat-interval --election-timeout --rounds --modes --workloads --cold-warmup --watchers --cpu-tail --variant --generator --smoke; runs of their own: --snapshot-stall --tree-memory --config-propagation";

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), 64, 10_000, 100, Environment.TickCount, ["etcd", "kvdirectory"]);
        var durationGiven = false;
        var warmupGiven = false;
        string[]? workloads = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.TryParse(Next(), CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{args[i - 1]} wants a whole number, not {args[i]}");
            TimeSpan NextSeconds() => double.TryParse(Next(), CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s) : throw new ArgumentException($"{args[i - 1]} wants seconds, not {args[i]}");
            string[] NextList() => Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            // Parsed once the mode is known: the cluster mode has workloads of its own.
            static IReadOnlyList<SingleWorkload> Remember(out string[]? names, string[] list)
            {
                names = list;
                return SingleWorkload.All;
            }

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
                "--auth" => options with { Auth = true },
                "--ceiling" => options with { Ceiling = true },
                "--json" => options with { JsonPath = Next() },
                "--heartbeat-interval" => options with { Timings = options.Timings with { HeartbeatMilliseconds = NextInt() } },
                "--election-timeout" => options with { Timings = options.Timings with { ElectionMilliseconds = NextInt() } },
                "--rounds" => options with { Rounds = NextInt() },
                "--modes" => options with { Modes = [.. NextList().Select(Mode)] },
                "--workloads" => options with { Workloads = Remember(out workloads, NextList()) },
                "--cold-warmup" => options with { ColdWarmup = NextSeconds() },
                "--watchers" => options with { Watchers = NextInt() },
                "--cpu-tail" => options with { CpuTail = NextSeconds() },
                "--variant" => options with { Variants = [.. options.Variants, ServerVariant.Parse(Next())] },
                "--generator" => options with { Wrk = Generator(Next()) },
                // About 2 s per workload and server, one round, small enough for CI: proves the harness runs end to end.
                "--smoke" => options with
                {
                    Duration = GivenSeconds(ref durationGiven, 1), Warmup = GivenSeconds(ref warmupGiven, 0.5), ColdWarmup = TimeSpan.FromSeconds(0.5),
                    Rounds = 1, Connections = 8, Keys = 500, Watchers = 200, CpuTail = TimeSpan.FromSeconds(1),
                },
                _ => throw new ArgumentException($"unknown argument {args[i]}; {KnownArguments}"),
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

            // 48 windows by default (4 workloads, warm and cold, 2 contenders, 3 rounds), 5-9 s each: about six minutes.
            options = options with
            {
                Duration = durationGiven ? options.Duration : TimeSpan.FromSeconds(3),
                Warmup = warmupGiven ? options.Warmup : TimeSpan.FromSeconds(1),
                ClusterWorkloads = workloads is null ? ClusterWorkload.All : [.. workloads.Select(ClusterWorkload.Parse)],
            };
        }
        else if (workloads is not null)
        {
            options = options with { Workloads = [.. workloads.Select(SingleWorkload.Parse)] };
        }
        else if (options.Auth)
        {
            // etcd runs bcrypt on every signed-in request (tens of ms of CPU): parking 10,000 watchers would take minutes.
            options = options with { Workloads = [.. SingleWorkload.All.Where(w => w != SingleWorkload.Watch)] };
        }

        if (options.Ceiling && (options.Cluster || options.Million || options.Auth || options.Target is not null))
        {
            throw new ArgumentException("--ceiling is for the single-node mode with servers it starts, without --auth");
        }

        if (options.Wrk && (options.Cluster || options.Million || options.Auth))
        {
            throw new ArgumentException("--generator wrk is for the single-node mode without --auth");
        }

        if (options.Wrk && !WrkLoad.IsInstalled())
        {
            throw new ArgumentException("--generator wrk needs wrk on the PATH (Debian: apt-get install wrk)");
        }

        if (options.Auth && (options.Cluster || options.Million || options.Target is not null))
        {
            throw new ArgumentException("--auth is for the single-node mode with servers it starts");
        }

        return options;
    }

    /// <summary>
    /// What is measured: etcd and our built server (or only one of them; with --auth each with auth on, then ours
    /// without), the Kestrel ceiling with --ceiling, then every --variant; or the --target.
    /// </summary>
    public IReadOnlyList<ServerVariant> Contenders()
    {
        if (Target is not null)
        {
            return [new ServerVariant("target", "target", new Dictionary<string, string>())];
        }

        var builtIn = Servers.Select(s => s == "etcd" ? ServerVariant.Etcd : ServerVariant.KvDirectory).ToList();
        return Auth
            ? [.. builtIn.Select(v => v.WithAuth()), .. builtIn.Where(v => v.Kind != "etcd"), .. Variants]
            : [.. builtIn, .. Ceiling ? [KestrelCeiling.Variant(this)] : Array.Empty<ServerVariant>(), .. Variants];
    }

    private static string Mode(string value) =>
        value is "warm" or "cold" ? value : throw new ArgumentException("--modes takes warm, cold or warm,cold");

    private static bool Generator(string value) =>
        value switch
        {
            "wrk" => true,
            "httpclient" => false,
            _ => throw new ArgumentException("--generator takes httpclient (the default) or wrk"),
        };

    private static string ServerKind(string value) =>
        value is "etcd" or "kvdirectory" ? value : throw new ArgumentException("--server-only takes etcd or kvdirectory");
}
