using KvDirectory.Benchmarks.Single;

namespace KvDirectory.Benchmarks.Cluster;

/// <summary>
/// The medians over the rounds of one (contender, mode, workload), and the lowest and highest throughput of its rounds:
/// two builds are "within noise" of each other when one's median lies inside the other's spread.
/// </summary>
public sealed record ClusterSummary(
    string Variant, string Mode, string Workload, int Rounds, long Errors, int LeaderChanges,
    double RequestsPerSecond, double LowestRequestsPerSecond, double HighestRequestsPerSecond,
    double P50Milliseconds, double P99Milliseconds, double MaxMilliseconds,
    double CpuSecondsPerThousandRequests, double LeaderEntriesPerFsync, double LeaderFsyncMilliseconds, double LoadAverage)
{
    public static IReadOnlyList<ClusterSummary> Of(IReadOnlyList<ClusterMeasurement> measurements) =>
        measurements
            .GroupBy(m => (m.Variant, m.Mode, m.Result.Workload))
            .Select(g => new ClusterSummary(
                g.Key.Variant, g.Key.Mode, g.Key.Workload, g.Count(), g.Sum(m => m.Result.Errors), g.Count(m => !m.LeaderUnchanged),
                SingleSummary.Median(g.Select(m => m.Result.RequestsPerSecond)),
                g.Min(m => m.Result.RequestsPerSecond),
                g.Max(m => m.Result.RequestsPerSecond),
                SingleSummary.Median(g.Select(m => m.Result.P50Milliseconds)),
                SingleSummary.Median(g.Select(m => m.Result.P99Milliseconds)),
                SingleSummary.Median(g.Select(m => m.Result.MaxMilliseconds)),
                SingleSummary.Median(g.Select(m => m.CpuSecondsPerThousandRequests)),
                SingleSummary.Median(g.Select(m => m.LeaderEntriesPerFsync)),
                SingleSummary.Median(g.Select(m => m.Leader.MeanFsyncMilliseconds)),
                SingleSummary.Median(g.Select(m => m.LoadAverage))))
            .ToList();
}
