using System.Buffers;
using System.Text;
using System.Text.Json;
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

    /// <summary>An event as the records' JSON (the reference <see cref="V2Store.WriteGet"/> is held to).</summary>
    public static string SerialisedEvent(EtcdEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, GoJsonEncoder.WriterOptions))
        {
            JsonSerializer.Serialize(writer, e, ProtocolJsonContext.Default.EtcdEvent);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>What <see cref="V2Store.WriteGet"/> answers (written or kept), as text, and the index it answers at.</summary>
    public static (string Json, long Index) WrittenGet(V2Store store, string path, bool recursive, bool sorted)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var answer = store.WriteGet(path, recursive, sorted, buffer);
        if (answer.KeptJson is not null)
        {
            buffer.WrittenCount.Should().Be(0, "a kept listing is returned, not written");
        }

        return (Encoding.UTF8.GetString(answer.KeptJson ?? buffer.WrittenSpan), answer.EtcdIndex);
    }
}
