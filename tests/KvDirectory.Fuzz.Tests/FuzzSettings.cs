using System.Globalization;

namespace KvDirectory.Fuzz.Tests;

/// <summary>
/// The run's size and seed: a short seeded run by default (CI), <c>KVDIR_FUZZ_REQUESTS=N</c> or <c>KVDIR_LONG=1</c>
/// (100,000) for the long one; <c>KVDIR_SEED</c> replays a run.
/// </summary>
public sealed record FuzzSettings(int Seed, int Requests, int Workers)
{
    public const int ShortRun = 2_500;
    public const int LongRun = 100_000;

    public static FuzzSettings FromEnvironment(int defaultSeed, int shortRun = ShortRun)
    {
        var seed = Environment.GetEnvironmentVariable("KVDIR_SEED") is { Length: > 0 } s ? int.Parse(s, CultureInfo.InvariantCulture) : defaultSeed;
        var requests = Environment.GetEnvironmentVariable("KVDIR_FUZZ_REQUESTS") is { Length: > 0 } n
            ? int.Parse(n, CultureInfo.InvariantCulture)
            : Environment.GetEnvironmentVariable("KVDIR_LONG") == "1" ? LongRun : shortRun;
        return new FuzzSettings(seed, requests, Workers: 6);
    }
}
