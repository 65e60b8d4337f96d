using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

public sealed class WatcherCleanupTests
{
    [Fact]
    public void Ten_thousand_watch_and_dispose_cycles_leave_no_watcher_behind()
    {
        var store = NewStore();
        for (var i = 0; i < 10_000; i++)
        {
            var watcher = store.Watch($"/k{i % 37}/x{i}", i % 2 == 0, i % 3 == 0, 0);
            watcher.Dispose();
        }

        store.WatcherCount.Should().Be(0);
        store.GetStatistics().Watchers.Should().Be(0);
    }

    [Fact]
    public async Task A_thousand_concurrent_watchers_on_one_key_are_all_released_by_one_write()
    {
        var store = NewStore();
        var watchers = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(() => store.Watch("/hot", false, false, 0))));
        store.WatcherCount.Should().Be(1000);

        store.Set("/hot", false, "go", null, false);

        var events = await Task.WhenAll(watchers.Select(w => w.NextAsync()));
        events.Should().OnlyContain(e => e.Node!.Value == "go");
        store.WatcherCount.Should().Be(0);
    }

    [Fact]
    public async Task Concurrent_disposal_while_the_writer_notifies_keeps_the_count_exact()
    {
        var store = NewStore();
        var watchers = Enumerable.Range(0, 2000).Select(i => store.Watch("/k", true, true, 0)).ToList();

        var disposer = Task.Run(() => Parallel.ForEach(watchers, w => w.Dispose()));
        for (var i = 0; i < 50; i++)
        {
            store.Set("/k/x", false, i.ToString(), null, false);
        }

        await disposer;
        store.WatcherCount.Should().Be(0);
    }

    [Fact]
    public async Task Ending_the_watches_ends_every_parked_one_and_every_later_one_without_an_event()
    {
        var store = NewStore();
        var parked = store.Watch("/a", false, false, 0);
        var streaming = store.Watch("/", true, true, 0);

        store.EndWatches();
        var later = store.Watch("/a", false, false, 0);
        store.Set("/a", false, "1", null, false);

        foreach (var watcher in new[] { parked, streaming, later })
        {
            await watcher.Events.Completion.WaitAsync(TimeSpan.FromSeconds(5));
            watcher.Events.TryRead(out _).Should().BeFalse("an ended watch gets no event, not even the write after it");
        }

        store.WatcherCount.Should().Be(0);
    }

    [Fact]
    public void Disposing_a_watcher_that_already_got_its_event_is_harmless()
    {
        var store = NewStore();
        var watcher = store.Watch("/a", false, false, 0);
        store.Set("/a", false, "1", null, false);

        watcher.Dispose();
        watcher.Dispose();

        store.WatcherCount.Should().Be(0);
        watcher.Events.TryRead(out _).Should().BeTrue("the delivered event stays readable after dispose");
    }

    [Fact]
    public async Task Readers_run_alongside_the_writer_and_always_see_a_consistent_value()
    {
        var store = NewStore();
        store.Set("/counter", false, "0", null, false);
        using var stop = new CancellationTokenSource();
        var totalReads = 0;

        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var e = store.Get("/", true, true);
                var node = e.Node!.Nodes!.Single();
                long.Parse(node.Value!).Should().Be(e.EtcdIndex - 1, "a read never sees half a write");
                Interlocked.Increment(ref totalReads);
            }
        })).ToArray();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        var written = 0;
        while ((Volatile.Read(ref totalReads) < 5_000 || written < 1_000) && DateTime.UtcNow < deadline)
        {
            written++;
            store.Set("/counter", false, written.ToString(), null, false);
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        totalReads.Should().BeGreaterThanOrEqualTo(5_000);
    }
}
