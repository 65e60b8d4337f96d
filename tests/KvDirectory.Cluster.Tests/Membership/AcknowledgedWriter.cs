using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// Background write load: PUTs sequential keys under <see cref="Directory"/>, each to the next running member in
/// turn, and records every acknowledged one. A failed or timed-out write is only counted (its outcome is unknown and
/// its key is never reused), so the acknowledged set is exactly what the cluster promised to keep.
/// </summary>
public sealed class AcknowledgedWriter : IAsyncDisposable
{
    private readonly MembershipCluster _cluster;
    private readonly ConcurrentQueue<AcknowledgedWrite> _acknowledged = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private Task? _loop;
    private int _failed;

    public AcknowledgedWriter(MembershipCluster cluster, string directory)
    {
        _cluster = cluster;
        Directory = directory;
    }

    public string Directory { get; }

    public int AcknowledgedCount => _acknowledged.Count;

    public int FailedCount => Volatile.Read(ref _failed);

    /// <summary>The writes acknowledged so far (the writer goes on).</summary>
    public IReadOnlyList<AcknowledgedWrite> AcknowledgedSoFar() => [.. _acknowledged];

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Until at least <paramref name="more"/> further writes were acknowledged (the cluster takes writes now).</summary>
    public Task WaitForMoreAsync(int more)
    {
        var target = AcknowledgedCount + more;
        return _cluster.PollAsync($"{more} more acknowledged writes (acknowledged {AcknowledgedCount}, failed {FailedCount})",
            () => Task.FromResult(AcknowledgedCount >= target));
    }

    /// <summary>Stops writing and returns every acknowledged write.</summary>
    public async Task<IReadOnlyList<AcknowledgedWrite>> StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        return [.. _acknowledged];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var running = _cluster.Running.ToArray();
            if (running.Length == 0)
            {
                await Task.Delay(50, CancellationToken.None);
                continue;
            }

            var member = running[sequence % running.Length];
            var key = $"{Directory}/{sequence.ToString("D7", CultureInfo.InvariantCulture)}";
            var value = $"value-{sequence}";
            try
            {
                var answer = await _cluster.PutAsync(member, key, value, _http);
                if (answer.Status is HttpStatusCode.OK or HttpStatusCode.Created)
                {
                    _acknowledged.Enqueue(new AcknowledgedWrite(key, value, MembershipCluster.ModifiedIndex(answer), member.Name));
                }
                else
                {
                    Interlocked.Increment(ref _failed);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref _failed);
            }

            // Pacing, not synchronisation: leaves the two cores to the members being added.
            await Task.Delay(5, CancellationToken.None);
        }
    }
}
