using System.Text.Json;
using KvDirectory.Protocol;

namespace KvDirectory.Cli.Tests;

/// <summary>Direct HTTP reads of a server's state, used to synchronise with watches without sleeping.</summary>
public static class ServerProbe
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task<long> WatchersAsync(string endpoint)
    {
        var body = await Http.GetStringAsync(endpoint + "/v2/stats/store");
        return JsonSerializer.Deserialize(body, ProtocolJsonContext.Default.StoreStatistics)!.Watchers;
    }

    /// <summary>
    /// The watcher count once the previous test's watches are gone: a kvctl that just exited may still be registered
    /// for a moment, and counting it as the baseline would make the next watch look like it never arrived.
    /// </summary>
    public static async Task<long> SettledWatchersAsync(string endpoint, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        long watchers;
        while ((watchers = await WatchersAsync(endpoint)) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return watchers;
    }

    /// <summary>Polls <c>/v2/stats/store</c> until at least <paramref name="count"/> watchers are registered.</summary>
    public static async Task WaitForWatchersAsync(string endpoint, long count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (await WatchersAsync(endpoint) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"fewer than {count} watchers on {endpoint}");
            }

            await Task.Delay(20);
        }
    }

    public static async Task<long> PutAsync(string endpoint, string key, string value)
    {
        using var content = new FormUrlEncodedContent([new("value", value)]);
        using var response = await Http.PutAsync(endpoint + "/v2/keys" + key, content);
        response.EnsureSuccessStatusCode();
        return long.Parse(response.Headers.GetValues("X-Etcd-Index").First(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
