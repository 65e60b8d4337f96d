using System.Globalization;

namespace KvDirectory.Cluster.Tests;

/// <summary>Seeds and run length from the environment: KVDIR_SEED replays a failure, KVDIR_LONG=1 runs the long version.</summary>
public static class TestSeed
{
    public static bool IsLong => Environment.GetEnvironmentVariable("KVDIR_LONG") == "1";

    /// <summary>The seed to use: KVDIR_SEED when set, otherwise a fresh one (printed by the test so a failure can be replayed).</summary>
    public static int Next()
    {
        var text = Environment.GetEnvironmentVariable("KVDIR_SEED");
        return text is not null && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : Random.Shared.Next();
    }

    public static string Repro(int seed, string testName) =>
        $"repro: KVDIR_SEED={seed}{(IsLong ? " KVDIR_LONG=1" : string.Empty)} dotnet test tests/KvDirectory.Cluster.Tests --filter \"FullyQualifiedName~{testName}\"";
}
