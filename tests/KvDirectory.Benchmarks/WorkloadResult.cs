namespace KvDirectory.Benchmarks;

/// <summary>What one workload achieved on one server during the measured window.</summary>
public sealed record WorkloadResult(string Server, string Workload, long Requests, long Errors, TimeSpan Elapsed, double P50Milliseconds, double P99Milliseconds, double MaxMilliseconds)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
}
