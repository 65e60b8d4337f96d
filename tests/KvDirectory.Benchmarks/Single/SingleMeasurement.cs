using KvDirectory.Benchmarks.Cluster;

namespace KvDirectory.Benchmarks.Single;

/// <summary>
/// One workload in one round on one server: what the load generator saw, the CPU the server burnt from the start of
/// the window until the CPU tail after it ended, and the cores it used in the first second after the load stopped.
/// </summary>
/// <param name="Mode">"warm" (a long warm-up on a process that has served for a while) or "cold" (a fresh process, a short warm-up).</param>
/// <param name="CpuSeconds">The server's CPU from the window's start until the tail (default 2 s) after the load stopped.</param>
/// <param name="IdleCores">CPU seconds per second in the first second after the load stopped.</param>
/// <param name="LoadAverage">The machine's 1-minute load average when the window started.</param>
/// <param name="StartSeconds">The process's start to its first /health answer (cold: on the preloaded data dir).</param>
/// <param name="StartCpuSeconds">The CPU the process used until that answer.</param>
/// <param name="RssMegabytes">The server's resident set after the CPU tail.</param>
/// <param name="Wal">The server's WAL during the window itself (fsyncs, their time, committed entries; CPU unused here).</param>
/// <param name="GeneratorCores">The load generator's own cores during the window (this process): with the server's, how full the machine was.</param>
/// <param name="FanOut">The watch fan-out only: who burnt the CPU from its write until its last answer; <see cref="FanOutCpu.None"/> otherwise.</param>
public sealed record SingleMeasurement(
    string Variant, string Mode, int Round, WorkloadResult Result, double CpuSeconds, double IdleCores, double LoadAverage,
    double StartSeconds, double StartCpuSeconds, double RssMegabytes, MemberCounters Wal, double GeneratorCores, FanOutCpu FanOut)
{
    public double CpuSecondsPerThousandRequests => Result.Requests == 0 ? double.NaN : CpuSeconds * 1000 / Result.Requests;

    /// <summary>Raft entries committed per WAL fsync: how many writes shared each one.</summary>
    public double EntriesPerFsync => Wal.WalFsyncs == 0 ? double.NaN : Wal.ProposalsCommitted / Wal.WalFsyncs;

    /// <summary>
    /// The share of the window the WAL spent in fsyncs: near 1, the disk synced back to back and the write rate is
    /// entries per fsync over the fsync time, whatever the CPU.
    /// </summary>
    public double FsyncBusy => Wal.WalFsyncs == 0 ? double.NaN : Wal.WalFsyncSeconds / Result.Elapsed.TotalSeconds;
}
