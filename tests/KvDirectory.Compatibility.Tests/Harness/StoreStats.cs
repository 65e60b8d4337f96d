namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>Reads /v2/stats/store: its watcher count is the only observable sign that a blocking watch is in place.</summary>
public static class StoreStats
{
    /// <summary>Watchers currently registered (from /v2/stats/store): the observable sign that a watch is in place.</summary>
    public static async Task<long> WatcherCountAsync(Uri server)
    {
        var stats = await RawHttp.SendAsync(server, "GET", "/v2/stats/store");
        using var json = System.Text.Json.JsonDocument.Parse(stats.Body);
        return json.RootElement.GetProperty("watchers").GetInt64();
    }

    /// <summary>Polls until the watcher count exceeds <paramref name="before"/>; there is no event for "watch registered".</summary>
    public static async Task WaitForWatchersAboveAsync(Uri server, long before, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (await WatcherCountAsync(server) <= before)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no new watcher registered on {server} (still {before})");
            }

            await Task.Delay(20, cancellationToken);
        }
    }
}
