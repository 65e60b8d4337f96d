using KvDirectory.Protocol;

namespace KvDirectory.Store.Tests;

/// <summary>Small helpers shared by the store tests.</summary>
internal static class StoreTestKit
{
    public static V2Store NewStore(ManualTimeProvider? clock = null, int historyCapacity = 10_000, int watcherBuffer = 100) =>
        new(new StoreOptions { EventHistoryCapacity = historyCapacity, WatcherBufferSize = watcherBuffer }, clock ?? new ManualTimeProvider());

    public static EtcdException ShouldFail(Action act)
    {
        var ex = Assert.Throws<EtcdException>(act);
        return ex;
    }

    /// <summary>The next event of a watcher; fails the test instead of hanging if none comes.</summary>
    public static async Task<EtcdEvent> NextAsync(this Watcher watcher)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await watcher.Events.ReadAsync(timeout.Token);
    }

    /// <summary>Delivery happens inside the write, so "nothing yet" can be checked without waiting.</summary>
    public static bool HasPendingEvent(this Watcher watcher) => watcher.Events.TryPeek(out _);

    public static bool IsCompleted(this Watcher watcher) => watcher.Events.Completion.IsCompleted;
}
