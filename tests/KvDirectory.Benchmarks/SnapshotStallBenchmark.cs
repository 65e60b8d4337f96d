using System.Diagnostics;
using System.Globalization;
using KvDirectory.Benchmarks.Cluster;
using KvDirectory.Store;

namespace KvDirectory.Benchmarks;

/// <summary>
/// <c>--snapshot-stall [--keys N] [--value-bytes N]</c>: how long taking a snapshot stops the applier (the node's
/// thread), in process on a store of N keys (default 1,000,000 under one directory, as the load benchmark writes them).
/// "serialise on the thread" is what the node did before (the whole tree written while no write could apply);
/// "capture" is the O(1) copy-on-write capture it does now, followed by writes applied while the capture is written on
/// another thread: their worst time is the remaining pause (the first write into a directory copies its child list).
/// Besides wall times (which a busy machine stretches: the thread waits for a core) it prints the thread's own CPU time
/// and the bytes it allocated, which the machine's load hardly changes.
/// </summary>
public static class SnapshotStallBenchmark
{
    private const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID on Linux

    public static int Run(int keys, int valueBytes)
    {
        var store = new V2Store(new StoreOptions(), TimeProvider.System);
        var value = new string('v', valueBytes);
        for (var i = 0; i < keys; i++)
        {
            store.Set($"/bench/k{i}", false, value, null, false);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"snapshot stall: {keys} keys, {valueBytes}-byte values; {LoadAverage.Describe()}"));
        var random = new Random(42);
        var baseline = ApplyWrites(store, random, value, 2_000, until: null);
        Print("writes, no snapshot", baseline);

        for (var round = 1; round <= 3; round++)
        {
            var (serialiseSeconds, serialiseBytes, size) = OnThisThread(() => store.SaveSnapshot().Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: serialise on the thread (before): {serialiseSeconds.Wall * 1000,9:F1} ms wall, {serialiseSeconds.Cpu * 1000,9:F1} ms CPU, {serialiseBytes / 1e6,8:F1} MB allocated on the thread ({size / 1e6:F1} MB snapshot)"));

            var (captureSeconds, captureBytes, capture) = OnThisThread(() => store.TryCaptureSnapshot()!);
            var writing = Task.Run(capture.Write);
            var during = ApplyWrites(store, random, value, 2_000, writing);
            writing.Wait();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: capture (after):                {captureSeconds.Wall * 1000,9:F3} ms wall, {captureSeconds.Cpu * 1000,9:F3} ms CPU, {captureBytes / 1e6,8:F3} MB allocated on the thread"));
            Print($"round {round}: writes during the background write", during);
        }

        return 0;
    }

    private static ((double Wall, double Cpu) Seconds, long Bytes, T Result) OnThisThread<T>(Func<T> action)
    {
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var cpu = ThreadCpuSeconds();
        var started = Stopwatch.GetTimestamp();
        var result = action();
        return ((Stopwatch.GetElapsedTime(started).TotalSeconds, ThreadCpuSeconds() - cpu), GC.GetAllocatedBytesForCurrentThread() - bytes, result);
    }

    private static double ThreadCpuSeconds() =>
        ClockGetTime(ClockThreadCpuTime, out var time) == 0 ? time.Seconds + (time.Nanoseconds / 1e9) : double.NaN;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private readonly struct TimeSpec
    {
        public readonly long Seconds;
        public readonly long Nanoseconds;
    }

    /// <summary>Overwrites random existing keys, at least <paramref name="count"/> of them and until <paramref name="until"/> completes.</summary>
    private static List<((double Wall, double Cpu) Seconds, long Bytes)> ApplyWrites(V2Store store, Random random, string value, int count, Task? until)
    {
        var keys = store.Get("/bench", false, false).Node!.Nodes!.Count;
        var writes = new List<((double, double), long)>();
        while (writes.Count < count || until is { IsCompleted: false })
        {
            var path = $"/bench/k{random.Next(keys)}";
            var (seconds, bytes, _) = OnThisThread(() => store.Set(path, false, value, null, false));
            writes.Add((seconds, bytes));
        }

        return writes;
    }

    private static void Print(string label, List<((double Wall, double Cpu) Seconds, long Bytes)> writes)
    {
        var wall = writes.Select(w => w.Seconds.Wall).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {writes.Count} writes, wall p50 {wall[wall.Length / 2] * 1e6:F0} µs, p99 {wall[(int)(wall.Length * 0.99)] * 1e6:F0} µs, max {wall[^1] * 1000:F2} ms; max CPU of one write {writes.Max(w => w.Seconds.Cpu) * 1000:F2} ms; most allocated by one write {writes.Max(w => w.Bytes) / 1e6:F3} MB"));
    }
}
