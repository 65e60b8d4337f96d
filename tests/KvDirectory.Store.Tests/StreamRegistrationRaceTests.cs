using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

public sealed class StreamRegistrationRaceTests
{
    [Fact]
    public async Task Stream_watches_registered_while_the_writer_runs_see_every_index_from_their_start_exactly_once()
    {
        const int writes = 3_000;
        var store = NewStore(watcherBuffer: writes * 2);
        store.Set("/k", false, "0", null, false);
        var random = new Random(12345);
        var offsets = Enumerable.Range(0, 200).Select(_ => random.Next(0, 50)).ToArray();

        var writer = Task.Run(() =>
        {
            for (var i = 1; i <= writes; i++)
            {
                store.Set("/k", false, i.ToString(), null, false);
            }
        });
        var watchers = await Task.WhenAll(offsets.Select(offset => Task.Run(() =>
        {
            var current = store.CurrentIndex;
            var since = Math.Max(1, current - offset);
            return (Since: since, Watcher: store.Watch("/k", false, true, since));
        })));
        await writer;

        foreach (var (since, watcher) in watchers)
        {
            var indexes = new List<long>();
            while (watcher.Events.TryRead(out var e))
            {
                indexes.Add(e.Node!.ModifiedIndex);
            }

            watcher.Dispose();
            indexes.Should().Equal(Enumerable.Range((int)since, writes + 1 - (int)since + 1).Select(i => (long)i), $"watch from {since}");
        }

        store.WatcherCount.Should().Be(0);
    }
}
