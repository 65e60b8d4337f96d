namespace KvDirectory.Node.Metrics;

/// <summary>A Prometheus histogram with fixed upper bounds (seconds); observation is lock-free.</summary>
public sealed class Histogram
{
    private readonly long[] _bucketCounts;
    private long _count;
    private long _sumMicroseconds;

    public Histogram(string name, string help, IReadOnlyList<double> upperBounds)
    {
        Name = name;
        Help = help;
        UpperBounds = upperBounds;
        _bucketCounts = new long[upperBounds.Count];
    }

    public string Name { get; }

    public string Help { get; }

    public IReadOnlyList<double> UpperBounds { get; }

    public long Count => Interlocked.Read(ref _count);

    public double Sum => Interlocked.Read(ref _sumMicroseconds) / 1_000_000.0;

    /// <summary>Exponential buckets from 0.5 ms to ~8 s, the range of fsyncs and applies.</summary>
    public static IReadOnlyList<double> DurationBuckets { get; } =
        Enumerable.Range(0, 15).Select(i => 0.0005 * Math.Pow(2, i)).ToArray();

    public void Observe(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        for (var i = 0; i < UpperBounds.Count; i++)
        {
            if (seconds <= UpperBounds[i])
            {
                Interlocked.Increment(ref _bucketCounts[i]);
                break;
            }
        }

        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicroseconds, (long)(duration.Ticks / 10));
    }

    /// <summary>Cumulative counts per bucket, as Prometheus expects them.</summary>
    public long[] CumulativeCounts()
    {
        var result = new long[_bucketCounts.Length];
        long running = 0;
        for (var i = 0; i < _bucketCounts.Length; i++)
        {
            running += Interlocked.Read(ref _bucketCounts[i]);
            result[i] = running;
        }

        return result;
    }
}
