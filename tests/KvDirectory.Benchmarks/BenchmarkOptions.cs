using System.Globalization;
using KvDirectory.Benchmarks.Cluster;

namespace KvDirectory.Benchmarks;

/// <summary>
/// Command line: --duration seconds, --warmup seconds, --connections N, --keys N, --seed N, --server-only etcd|kvdirectory,
/// --target URL (an already running server, e.g. to profile it); --cluster (three members of each server instead of one;
/// then the duration defaults to 5 s and the warmup to 1 s), --json PATH (where the cluster mode writes its report),
/// --heartbeat-interval ms, --election-timeout ms (both clusters; etcd's defaults 100 and 1000).
/// </summary>
public sealed record BenchmarkOptions(TimeSpan Duration, TimeSpan Warmup, int Connections, int Keys, int ValueBytes, int Seed, IReadOnlyList<string> Servers, Uri? Target = null)
{
    public bool Cluster { get; init; }

    /// <summary>Where <see cref="Cluster"/> mode writes its JSON report; null: a file named after the start time in the temp dir.</summary>
    public string? JsonPath { get; init; }

    public ClusterTimings Timings { get; init; } = new();

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3), 64, 10_000, 256, Environment.TickCount, ["etcd", "kvdirectory"]);
        var durationGiven = false;
        var warmupGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            TimeSpan GivenSeconds(ref bool given)
            {
                given = true;
                return TimeSpan.FromSeconds(NextInt());
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
                "--json" => options with { JsonPath = Next() },
                "--heartbeat-interval" => options with { Timings = options.Timings with { HeartbeatMilliseconds = NextInt() } },
                "--election-timeout" => options with { Timings = options.Timings with { ElectionMilliseconds = NextInt() } },
                _ => throw new ArgumentException($"unknown argument {args[i]}; known: --duration --warmup --connections --keys --value-bytes --seed --server-only --target --cluster --json --heartbeat-interval --election-timeout"),
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

    private static string ServerKind(string value) =>
        value is "etcd" or "kvdirectory" ? value : throw new ArgumentException("--server-only takes etcd or kvdirectory");
}
