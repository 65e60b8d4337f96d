using KvDirectory.Testing;

namespace KvDirectory.Benchmarks.Single;

/// <summary>
/// --ceiling: one more contender, tests/KvDirectory.Benchmarks.ConstantServer — Kestrel hosted and configured like our
/// server, answering every request with a fixed body of the size and headers ours sends, and parking long polls until a
/// PUT of their key releases them with a fixed event. Its throughput is the most this stack serves on the machine: the
/// bound of our server's reads; its fan-out time the bound of our watch fan-out.
/// </summary>
public static class KestrelCeiling
{
    public const string Name = "kestrel-constant";

    /// <summary>
    /// The reads, and the watch fan-out (parking and releasing polls needs no store); a fixed answer says nothing about
    /// writes: put and cas need a store.
    /// </summary>
    public static IReadOnlySet<string> Workloads { get; } = new HashSet<string>(StringComparer.Ordinal) { "get", "qget", "mixed", "rget", "watch" };

    public static string Note =>
        $"{Name}: Kestrel as our server hosts it, a fixed answer of our size and headers for every request (mixed: its PUTs too), long polls parked until a PUT of their key releases them with a fixed event; measured on {string.Join(',', Workloads)} only, put/cas need a store";

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

    /// <summary>Whether <paramref name="variant"/> runs <paramref name="workload"/>: the ceiling only the reads and the watch.</summary>
    public static bool Measures(ServerVariant variant, SingleWorkload workload) => variant.Name != Name || Workloads.Contains(workload.Name);

    private static string Dll()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "KvDirectory.Benchmarks.ConstantServer", "bin", RepositoryPaths.Configuration, "net10.0", "KvDirectory.Benchmarks.ConstantServer.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("the Kestrel ceiling is not built (tests/KvDirectory.Benchmarks.ConstantServer)", path);
    }
}
