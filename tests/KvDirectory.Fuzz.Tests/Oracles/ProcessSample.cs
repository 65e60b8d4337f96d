using System.Globalization;

namespace KvDirectory.Fuzz.Tests.Oracles;

/// <summary>A server process's threads and resident memory from <c>/proc</c>, and its managed heap from <c>/metrics</c>.</summary>
public sealed record ProcessSample(int Threads, long ResidentBytes, long ManagedHeapBytes)
{
    public static ProcessSample Read(int processId, long managedHeapBytes)
    {
        var threads = 0;
        long resident = 0;
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = long.Parse(line["VmRSS:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return new ProcessSample(threads, resident, managedHeapBytes);
    }

    public override string ToString() =>
        $"{Threads} threads, RSS {ResidentBytes / (1024 * 1024)} MiB, managed heap {ManagedHeapBytes / (1024 * 1024)} MiB";
}
