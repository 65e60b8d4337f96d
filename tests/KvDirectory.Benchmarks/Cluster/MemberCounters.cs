using System.Globalization;

namespace KvDirectory.Benchmarks.Cluster;

/// <summary>
/// What a member had used and done at one moment: CPU time from <c>/proc</c>, and from <c>/metrics</c> the WAL
/// fsyncs, the time they took and the committed entries (both servers expose them under etcd's names). The difference
/// of two samples around a window tells where the time went: CPU per request, entries per fsync, fsync latency.
/// </summary>
public sealed record MemberCounters(double CpuSeconds, double WalFsyncs, double WalFsyncSeconds, double ProposalsCommitted)
{
    private static readonly double ClockTicksPerSecond = 100; // USER_HZ on Linux

    public static Task<MemberCounters> SampleAsync(BenchmarkMember member, HttpClient http, CancellationToken cancellationToken) =>
        SampleAsync(member.ClientUrl, member.ProcessId, http, cancellationToken);

    /// <summary>A server at <paramref name="clientUrl"/>; its CPU is NaN without a <paramref name="processId"/> (one the benchmark did not start).</summary>
    public static async Task<MemberCounters> SampleAsync(Uri clientUrl, int? processId, HttpClient http, CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync(new Uri(clientUrl, "/metrics"), cancellationToken);
        return new MemberCounters(
            processId is { } id ? ReadCpuSeconds(id) : double.NaN,
            Metric(text, "etcd_disk_wal_fsync_duration_seconds_count"),
            Metric(text, "etcd_disk_wal_fsync_duration_seconds_sum"),
            Metric(text, "etcd_server_proposals_committed_total"));
    }

    public static MemberCounters operator -(MemberCounters after, MemberCounters before) =>
        new(after.CpuSeconds - before.CpuSeconds, after.WalFsyncs - before.WalFsyncs, after.WalFsyncSeconds - before.WalFsyncSeconds,
            after.ProposalsCommitted - before.ProposalsCommitted);

    /// <summary>Mean fsync latency over a window (a difference of two samples), in milliseconds.</summary>
    public double MeanFsyncMilliseconds => WalFsyncs == 0 ? double.NaN : WalFsyncSeconds * 1000 / WalFsyncs;

    /// <summary>utime + stime of the process (fields 14 and 15 of /proc/PID/stat, after the parenthesised name).</summary>
    public static double ReadCpuSeconds(int processId)
    {
        var (user, kernel) = ReadCpuSplit(processId);
        return user + kernel;
    }

    /// <summary>utime and stime of the process apart, in seconds at clock-tick resolution (10 ms); NaN once it is gone.</summary>
    public static (double User, double Kernel) ReadCpuSplit(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) / ClockTicksPerSecond, long.Parse(fields[12], CultureInfo.InvariantCulture) / ClockTicksPerSecond);
        }
        catch (IOException)
        {
            return (double.NaN, double.NaN);
        }
    }

    /// <summary>VmRSS of the process from /proc/PID/status, in megabytes; NaN once it is gone.</summary>
    public static double ReadRssMegabytes(int processId)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }

        return double.NaN;
    }

    /// <summary>How many file descriptors (sockets included) the process holds, from /proc/PID/fd; NaN once it is gone.</summary>
    public static double ReadOpenDescriptors(int processId)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{processId}/fd").Count();
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>The first sample of an unlabelled metric in the Prometheus text format; NaN when absent.</summary>
    private static double Metric(string text, string name)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] == ' ')
            {
                return double.Parse(line[(name.Length + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return double.NaN;
    }
}
