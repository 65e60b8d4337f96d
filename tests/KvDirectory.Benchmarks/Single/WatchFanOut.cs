using System.Diagnostics;
using System.Net;
using System.Text;

namespace KvDirectory.Benchmarks.Single;

/// <summary>
/// The watch fan-out: N long polls (<c>?wait=true</c>) parked on one key, each on its own connection; once the server
/// counts them all as watchers, one write. The result's elapsed time is from sending the write until the last watcher
/// has its answer, its latencies are each watcher's delay from the write, so "max" is the slowest watcher; with who
/// burnt the CPU meanwhile (<see cref="FanOutCpu"/>).
/// </summary>
public static class WatchFanOut
{
    private const int ParkBatch = 500;
    private const int WriteAttempts = 3;
    private static readonly TimeSpan ParkDeadline = TimeSpan.FromSeconds(60);

    public static async Task<(WorkloadResult Result, FanOutCpu Cpu)> RunAsync(string server, SingleNode node, int watchers, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = watchers + 1,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
        using var control = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = control.DefaultRequestHeaders.Authorization = node.Authorization;
        var key = new Uri(node.ClientUrl, "/v2/keys/bench-watch/key");
        await WriteAsync(control, key, "before", cancellationToken);
        var baseline = await node.WatchersAsync(control, cancellationToken);

        var answered = new long[watchers];
        var errors = 0L;
        async Task WatchAsync(int i)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(key + "?wait=true"), cancellationToken);
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                answered[i] = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
            catch (HttpRequestException)
            {
                answered[i] = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref errors);
            }
        }

        // Parked in batches: ten thousand connects at once overflow the listen backlog of either server.
        var polls = new List<Task>(watchers);
        while (polls.Count < watchers)
        {
            var batch = Math.Min(ParkBatch, watchers - polls.Count);
            for (var i = 0; i < batch; i++)
            {
                polls.Add(WatchAsync(polls.Count));
            }

            await WaitForWatchersAsync(node, control, baseline + polls.Count, polls, cancellationToken);
        }

        var (serverUser, serverKernel) = node.CpuSplit();
        var generator = Environment.CpuUsage.TotalTime;
        var written = Stopwatch.GetTimestamp();
        await WriteAsync(control, key, "after", cancellationToken);
        await Task.WhenAll(polls);
        var generatorSeconds = (Environment.CpuUsage.TotalTime - generator).TotalSeconds;
        var (serverUserAfter, serverKernelAfter) = node.CpuSplit();
        var cpu = new FanOutCpu(serverUserAfter - serverUser, serverKernelAfter - serverKernel, generatorSeconds);
        var delays = answered.Select(t => t - written).ToArray();
        Array.Sort(delays);
        var elapsed = Stopwatch.GetElapsedTime(written, answered.Max());
        return (new WorkloadResult(server, SingleWorkload.Watch.Name, watchers, errors, elapsed, Milliseconds(delays, 0.50), Milliseconds(delays, 0.99), Milliseconds(delays, 1.0)), cpu);
    }

    private static async Task WaitForWatchersAsync(SingleNode node, HttpClient control, long expected, List<Task> polls, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ParkDeadline;
        while (await node.WatchersAsync(control, cancellationToken) < expected)
        {
            var failed = polls.FirstOrDefault(p => p.IsCompleted);
            if (failed is not null)
            {
                await failed;
                throw new InvalidOperationException("a watcher was answered before the write");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{expected} watchers not parked after {ParkDeadline}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>
    /// A write the server timed out on (a 500 on an overloaded machine) is sent again: it may have been applied anyway,
    /// which answers the watchers just as well, and a second write finds none left.
    /// </summary>
    private static async Task WriteAsync(HttpClient http, Uri key, string value, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var body = new StringContent("value=" + value, Encoding.ASCII, "application/x-www-form-urlencoded");
            using var response = await http.PutAsync(key, body, cancellationToken);
            if (response.StatusCode != HttpStatusCode.InternalServerError || attempt == WriteAttempts)
            {
                response.EnsureSuccessStatusCode();
                return;
            }
        }
    }

    private static double Milliseconds(long[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
}
