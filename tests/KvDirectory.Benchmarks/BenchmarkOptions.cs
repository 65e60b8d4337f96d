using System.Globalization;

namespace KvDirectory.Benchmarks;

/// <summary>Command line: --duration seconds, --warmup seconds, --connections N, --keys N, --seed N, --server-only etcd|kvdirectory.</summary>
public sealed record BenchmarkOptions(TimeSpan Duration, TimeSpan Warmup, int Connections, int Keys, int ValueBytes, int Seed, IReadOnlyList<string> Servers)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3), 64, 10_000, 256, Environment.TickCount, ["etcd", "kvdirectory"]);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--duration" => options with { Duration = TimeSpan.FromSeconds(NextInt()) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(NextInt()) },
                "--connections" => options with { Connections = NextInt() },
                "--keys" => options with { Keys = NextInt() },
                "--value-bytes" => options with { ValueBytes = NextInt() },
                "--seed" => options with { Seed = NextInt() },
                "--server-only" => options with { Servers = [ServerKind(Next())] },
                _ => throw new ArgumentException($"unknown argument {args[i]}; known: --duration --warmup --connections --keys --value-bytes --seed --server-only"),
            };
        }

        return options;
    }

    private static string ServerKind(string value) =>
        value is "etcd" or "kvdirectory" ? value : throw new ArgumentException("--server-only takes etcd or kvdirectory");
}
