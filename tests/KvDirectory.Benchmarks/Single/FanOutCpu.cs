namespace KvDirectory.Benchmarks.Single;

/// <summary>
/// Who burnt the CPU while a fan-out's answers went out, from the write until the last watcher had its answer: the
/// server in user space and in the kernel, and the load generator (the machine's two cores serve all three). Each
/// answer is one loopback TCP send, and on loopback the sender's kernel also does the receiving socket's work, so the
/// server's kernel time is what any server pays for its answers here, whatever it does in user space.
/// </summary>
/// <param name="ServerUserSeconds">The server's utime over the window (clock-tick resolution: 10 ms).</param>
/// <param name="ServerKernelSeconds">The server's stime over the window (clock-tick resolution: 10 ms).</param>
/// <param name="GeneratorSeconds">This process's CPU over the window: the watchers reading their answers.</param>
public sealed record FanOutCpu(double ServerUserSeconds, double ServerKernelSeconds, double GeneratorSeconds)
{
    public static FanOutCpu None { get; } = new(double.NaN, double.NaN, double.NaN);

    public double ServerSeconds => ServerUserSeconds + ServerKernelSeconds;
}
