using KvDirectory.Protocol;
using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

public sealed class HistoryWatchTests
{
    [Fact]
    public void A_watch_from_an_index_in_history_answers_the_first_matching_event_at_once()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);
        store.Set("/b", false, "1", null, false);
        store.Set("/a", false, "2", null, false);

        using var watcher = store.Watch("/a", false, false, 2);

        watcher.StartIndex.Should().Be(3);
        watcher.Events.TryRead(out var e).Should().BeTrue();
        e!.Node!.ModifiedIndex.Should().Be(3);
        e.EtcdIndex.Should().Be(3, "a history answer carries the index at watch time");
        watcher.IsCompleted().Should().BeTrue();
        store.WatcherCount.Should().Be(0);
    }

    [Fact]
    public void Events_read_back_from_a_history_that_grew_and_wrapped_are_the_events_the_writes_answered()
    {
        // The history keeps events in a compact form and grows its ring as they come: reading them back must give
        // every field of the original, for every kind of event, across growth and wrap-around.
        var clock = new ManualTimeProvider();
        var store = NewStore(clock, historyCapacity: 150);
        var answered = new List<EtcdEvent>();
        for (var round = 0; round < 40; round++)
        {
            var expires = clock.GetUtcNow().AddSeconds(30 + round);
            answered.Add(store.Set($"/d{round % 3}/k", false, $"v{round}", round % 2 == 0 ? expires : null, false));
            answered.Add(store.Create($"/q{round % 2}", false, $"in order {round}", unique: true, null));
            answered.Add(store.CompareAndSwap($"/d{round % 3}/k", $"v{round}", 0, $"w{round}", null, false));
            answered.Add(store.Update($"/d{round % 3}", string.Empty, expires, false));
            answered.Add(store.Set($"/gone/{round}/x", false, string.Empty, null, false));
            answered.Add(store.Delete($"/gone/{round}", dir: true, recursive: true));
            answered.Add(store.CompareAndDelete($"/d{round % 3}/k", $"w{round}", 0));
            clock.Advance(TimeSpan.FromMilliseconds(700));
        }

        using var watcher = store.Watch("/", recursive: true, stream: true, sinceIndex: answered[^150].EtcdIndex);

        var readBack = new List<EtcdEvent>();
        while (watcher.Events.TryRead(out var e))
        {
            readBack.Add(e);
        }

        var current = answered[^1].EtcdIndex;
        readBack.Should().Equal(answered.TakeLast(150).Select(e => e with { EtcdIndex = current }));
    }

    [Fact]
    public void A_stream_watch_from_history_gets_every_matching_event_then_continues_live_without_gap_or_duplicate()
    {
        var store = NewStore();
        store.Set("/d/a", false, "1", null, false);
        store.Set("/x", false, "1", null, false);
        store.Set("/d/b", false, "2", null, false);
        store.Delete("/d/a", false, false);

        using var watcher = store.Watch("/d", true, true, 1);
        store.Set("/d/c", false, "3", null, false);

        var indexes = new List<long>();
        while (watcher.Events.TryRead(out var e))
        {
            indexes.Add(e.Node!.ModifiedIndex);
        }

        indexes.Should().Equal(1, 3, 4, 5);
        store.WatcherCount.Should().Be(1);
    }

    [Fact]
    public void A_watch_from_history_returns_events_on_hidden_keys_as_etcd_does()
    {
        var store = NewStore();
        store.Set("/_hidden", false, "1", null, false);

        using var watcher = store.Watch("/", true, false, 1);

        watcher.Events.TryRead(out var e).Should().BeTrue();
        e!.Node!.Key.Should().Be("/_hidden");
    }

    [Fact]
    public void A_watch_from_history_on_a_key_inside_a_removed_directory_gets_the_directory_event()
    {
        var store = NewStore();
        store.Set("/d/k", false, "1", null, false);
        store.Delete("/d", true, true);

        using var watcher = store.Watch("/d/k", false, false, 2);

        watcher.Events.TryRead(out var e).Should().BeTrue();
        e!.Node!.Key.Should().Be("/d");
        e.Action.Should().Be(EtcdActions.Delete);
    }

    [Fact]
    public void A_busy_key_watched_from_before_the_history_answers_401_with_etcds_cause()
    {
        var store = NewStore(historyCapacity: 3);
        for (var i = 1; i <= 5; i++)
        {
            store.Set("/a", false, i.ToString(), null, false);
        }

        var ex = ShouldFail(() => store.Watch("/a", false, false, 1));

        ex.ErrorCode.Should().Be(EtcdErrorCode.EventIndexCleared);
        ex.HttpStatus.Should().Be(400);
        ex.Cause.Should().Be("the requested history has been cleared [3/1]");
        ex.Index.Should().Be(5);
        store.WatcherCount.Should().Be(0);
    }

    [Fact]
    public void The_oldest_index_still_in_history_is_served_not_refused()
    {
        var store = NewStore(historyCapacity: 3);
        for (var i = 1; i <= 5; i++)
        {
            store.Set("/a", false, i.ToString(), null, false);
        }

        using var watcher = store.Watch("/a", false, false, 3);

        watcher.Events.TryRead(out var e).Should().BeTrue();
        e!.Node!.ModifiedIndex.Should().Be(3);
    }

    [Fact]
    public void A_quiet_key_is_never_answered_401_because_unrelated_keys_were_busy()
    {
        var store = NewStore(historyCapacity: 3);
        store.Set("/quiet", false, "q", null, false);
        store.Set("/dir/quiet", false, "q", null, false);
        for (var i = 0; i < 10; i++)
        {
            store.Set("/busy", false, i.ToString(), null, false);
        }

        using var onKey = store.Watch("/quiet", false, false, 3);
        using var onDir = store.Watch("/dir", true, false, 3);
        using var onMissing = store.Watch("/dir/not/yet", false, false, 3);

        store.WatcherCount.Should().Be(3);
        onKey.HasPendingEvent().Should().BeFalse();
        store.Set("/quiet", false, "changed", null, false);
        store.Set("/dir/not/yet", false, "here", null, false);
        onKey.Events.TryRead(out var e).Should().BeTrue();
        e!.Node!.Value.Should().Be("changed");
        onDir.HasPendingEvent().Should().BeTrue();
        onMissing.HasPendingEvent().Should().BeTrue();
    }

    [Theory]
    [InlineData("/gone", 2)]
    [InlineData("/gone/child/of/removed", 2)]
    [InlineData("/", 5)]
    public void A_dropped_change_at_or_beneath_the_watched_path_answers_401(string path, long sinceIndex)
    {
        var store = NewStore(historyCapacity: 3);
        store.Set("/gone", false, "1", null, false);
        store.Delete("/gone", false, false);
        for (var i = 0; i < 10; i++)
        {
            store.Set("/busy", false, i.ToString(), null, false);
        }

        ShouldFail(() => store.Watch(path, true, false, sinceIndex)).ErrorCode.Should().Be(EtcdErrorCode.EventIndexCleared);
    }

    [Fact]
    public void A_removed_key_in_a_quiet_directory_watched_from_after_its_removal_is_not_refused()
    {
        var store = NewStore(historyCapacity: 3);
        store.Set("/q/gone", false, "1", null, false);
        store.Delete("/q/gone", false, false);
        for (var i = 0; i < 10; i++)
        {
            store.Set("/busy", false, i.ToString(), null, false);
        }

        using var watcher = store.Watch("/q/gone", false, false, 3);

        store.WatcherCount.Should().Be(1);
        ShouldFail(() => store.Watch("/q/gone", false, false, 2)).ErrorCode.Should().Be(EtcdErrorCode.EventIndexCleared);
    }

    [Fact]
    public void A_recreated_directory_counts_as_changed_for_keys_inside_it()
    {
        var store = NewStore(historyCapacity: 2);
        store.Set("/d/k", false, "1", null, false);
        store.Delete("/d", true, true);
        store.Set("/d/other", false, "1", null, false);
        for (var i = 0; i < 5; i++)
        {
            store.Set("/busy", false, i.ToString(), null, false);
        }

        ShouldFail(() => store.Watch("/d/k", false, false, 2)).ErrorCode.Should().Be(EtcdErrorCode.EventIndexCleared);
    }
}
