namespace KvDirectory.Benchmarks.Single;

/// <summary>The medians over the rounds of one (server, mode, workload): the figures the table and the ratios use.</summary>
public sealed record SingleSummary(
    string Variant, string Mode, string Workload, int Rounds, long Errors,
    double RequestsPerSecond, double P50Milliseconds, double P99Milliseconds, double MaxMilliseconds,
    double CpuSecondsPerThousandRequests, double IdleCores, double LoadAverage, double StartSeconds, double StartCpuSeconds, double RssMegabytes,
    double FsyncMilliseconds, double EntriesPerFsync, double FsyncBusy, double GeneratorCores, FanOutCpu FanOut)
{
    public static IReadOnlyList<SingleSummary> Of(IReadOnlyList<SingleMeasurement> measurements) =>
        measurements
            .GroupBy(m => (m.Variant, m.Mode, m.Result.Workload))
            .Select(g => new SingleSummary(
                g.Key.Variant, g.Key.Mode, g.Key.Workload, g.Count(), g.Sum(m => m.Result.Errors),
                Median(g.Select(m => m.Result.RequestsPerSecond)),
                Median(g.Select(m => m.Result.P50Milliseconds)),
                Median(g.Select(m => m.Result.P99Milliseconds)),
                Median(g.Select(m => m.Result.MaxMilliseconds)),
                Median(g.Select(m => m.CpuSecondsPerThousandRequests)),
                Median(g.Select(m => m.IdleCores)),
                Median(g.Select(m => m.LoadAverage)),
                Median(g.Select(m => m.StartSeconds)),
                Median(g.Select(m => m.StartCpuSeconds)),
                Median(g.Select(m => m.RssMegabytes)),
                Median(g.Select(m => m.Wal.MeanFsyncMilliseconds)),
                Median(g.Select(m => m.EntriesPerFsync)),
                Median(g.Select(m => m.FsyncBusy)),
                Median(g.Select(m => m.GeneratorCores)),
                new FanOutCpu(
                    Median(g.Select(m => m.FanOut.ServerUserSeconds)),
                    Median(g.Select(m => m.FanOut.ServerKernelSeconds)),
                    Median(g.Select(m => m.FanOut.GeneratorSeconds)))))
            .ToList();

    /// <summary>The middle value (the mean of the two middle ones for an even count) of those measured; NaN for none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
