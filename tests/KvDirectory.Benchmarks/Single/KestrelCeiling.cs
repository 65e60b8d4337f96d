using KvDirectory.Testing;

namespace KvDirectory.Benchmarks.Single;

/// <summary>
/// --ceiling: one more contender, tests/KvDirectory.Benchmarks.ConstantServer — Kestrel hosted and configured like our
/// server, answering every request with a fixed body of the size and headers ours sends. Its throughput is the most
/// this stack serves on the machine: the bound of our server's reads.
/// </summary>
public static class KestrelCeiling
{
    public const string Name = "kestrel-constant";

    /// <summary>A fixed answer says nothing about writes or watches: put, cas and watch need a store.</summary>
    public static IReadOnlySet<string> Workloads { get; } = new HashSet<string>(StringComparer.Ordinal) { "get", "qget", "mixed", "rget" };

    public static string Note =>
        $"{Name}: Kestrel as our server hosts it, a fixed answer of our size and headers for every request (mixed: its PUTs too); measured on {string.Join(',', Workloads)} only, put/cas/watch need a store";

    /// <summary>Started the way our server is (dotnet DLL, etcd's flags), told the preload's size so its bodies match ours.</summary>
    public static ServerVariant Variant(BenchmarkOptions options) => new(
        Name,
        "kvdirectory",
        new Dictionary<string, string>
        {
            ["KVDIRECTORY_CONSTANT_KEYS"] = options.Keys.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["KVDIRECTORY_CONSTANT_VALUE_BYTES"] = options.ValueBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        Dll());

    /// <summary>Whether <paramref name="variant"/> runs <paramref name="workload"/>: the ceiling only the reads.</summary>
    public static bool Measures(ServerVariant variant, SingleWorkload workload) => variant.Name != Name || Workloads.Contains(workload.Name);

    private static string Dll()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "KvDirectory.Benchmarks.ConstantServer", "bin", RepositoryPaths.Configuration, "net10.0", "KvDirectory.Benchmarks.ConstantServer.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("the Kestrel ceiling is not built (tests/KvDirectory.Benchmarks.ConstantServer)", path);
    }
}
