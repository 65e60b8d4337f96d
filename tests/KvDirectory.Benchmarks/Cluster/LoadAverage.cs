using System.Globalization;

namespace KvDirectory.Benchmarks.Cluster;

/// <summary>The machine's load averages from <c>/proc/loadavg</c>: numbers measured on a busy shared machine must say so.</summary>
public static class LoadAverage
{
    /// <summary>1, 5 and 15-minute load averages; NaNs where /proc is not available.</summary>
    public static (double One, double Five, double Fifteen) Read()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return (Parse(fields[0]), Parse(fields[1]), Parse(fields[2]));
        }
        catch (IOException)
        {
            return (double.NaN, double.NaN, double.NaN);
        }
    }

    public static string Describe()
    {
        var (one, five, fifteen) = Read();
        return string.Create(CultureInfo.InvariantCulture, $"load average {one:F2} {five:F2} {fifteen:F2} on {Environment.ProcessorCount} cores");
    }

    private static double Parse(string value) => double.Parse(value, CultureInfo.InvariantCulture);
}
