using System.Globalization;
using KvDirectory.Benchmarks.Cluster;
using KvDirectory.Store;

namespace KvDirectory.Benchmarks;

/// <summary>
/// <c>--tree-memory [--keys N] [--value-bytes N]</c>: where a restarted node's memory goes, in process and exact on a
/// busy machine: the managed heap the v2 tree of N keys (default 1,000,000 under one directory, as <c>--million</c>
/// writes them) takes when written key by key and when restored from its snapshot, the snapshot's size, and the
/// process's resident set next to it (what the GC keeps beyond the live heap).
/// </summary>
public static class TreeMemoryBenchmark
{
    public static int Run(int keys, int valueBytes)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tree memory: {keys} keys, {valueBytes}-byte values, server GC {System.Runtime.GCSettings.IsServerGC}; {LoadAverage.Describe()}"));
        var empty = LiveBytes();
        var written = new V2Store(new StoreOptions(), TimeProvider.System);
        for (var i = 0; i < keys; i++)
        {
            // A string per key, as the server parses one from each request (one shared string would hide ~150 B per key).
            written.Set($"/bench/k{i}", false, new string('v', valueBytes), null, false);
        }

        Print("written key by key", LiveBytes() - empty, keys);
        var snapshot = written.SaveSnapshot();
        written = null; // the tree goes; only its snapshot stays
        Print($"its snapshot ({snapshot.Length / 1e6:F1} MB) alone", LiveBytes() - empty, keys);

        var restored = new V2Store(new StoreOptions(), TimeProvider.System);
        restored.RestoreSnapshot(snapshot);
        Print("restored, snapshot still held", LiveBytes() - empty, keys);
        GC.KeepAlive(snapshot); // held until here: the JIT would let it go after its last use above
        Print("restored, snapshot dropped", LiveBytes() - empty, keys);
        GC.KeepAlive(restored);
        return 0;
    }

    private static void Print(string what, long bytes, int keys) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-34} {bytes / 1e6,8:F1} MB live ({(double)bytes / keys,6:F0} B per key); process RSS {MemberCounters.ReadRssMegabytes(Environment.ProcessId),6:F0} MB"));

    private static long LiveBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
