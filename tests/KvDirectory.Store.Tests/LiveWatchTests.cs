using KvDirectory.Protocol;
using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

public sealed class LiveWatchTests
{
    [Fact]
    public async Task A_watch_gets_the_next_event_on_its_key_then_completes()
    {
        var store = NewStore();
        store.Set("/other", false, "x", null, false);
        using var watcher = store.Watch("/a", false, false, 0);
        watcher.StartIndex.Should().Be(1);
        store.WatcherCount.Should().Be(1);

        store.Set("/other", false, "y", null, false);
        watcher.HasPendingEvent().Should().BeFalse();
        store.Set("/a", false, "1", null, false);

        var e = await watcher.NextAsync();
        e.Action.Should().Be(EtcdActions.Set);
        e.Node!.Key.Should().Be("/a");
        e.EtcdIndex.Should().Be(3);
        await watcher.Events.Completion;
        store.WatcherCount.Should().Be(0);
    }

    [Fact]
    public void Only_a_recursive_watch_on_a_directory_sees_changes_beneath_it()
    {
        var store = NewStore();
        using var flat = store.Watch("/d", false, false, 0);
        using var deep = store.Watch("/d", true, false, 0);

        store.Set("/d/x/y", false, "1", null, false);

        deep.Events.TryRead(out var e).Should().BeTrue();
        e!.Node!.Key.Should().Be("/d/x/y");
        flat.HasPendingEvent().Should().BeFalse();
    }

    [Fact]
    public void A_watch_on_a_sibling_with_a_shared_prefix_sees_nothing()
    {
        var store = NewStore();
        using var watcher = store.Watch("/foo", true, false, 0);

        store.Set("/foobar", false, "1", null, false);

        watcher.HasPendingEvent().Should().BeFalse();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Removing_a_directory_wakes_watchers_of_keys_inside_it_with_the_directorys_event(bool byExpiry)
    {
        var clock = new ManualTimeProvider();
        var store = NewStore(clock);
        store.Set("/d", true, "", byExpiry ? clock.GetUtcNow().AddSeconds(1) : null, false);
        store.Set("/d/k", false, "1", null, false);
        using var onKey = store.Watch("/d/k", false, false, 0);
        using var onMissingKey = store.Watch("/d/never/there", false, false, 0);
        using var onHiddenKey = store.Watch("/d/_h", false, false, 0);

        if (byExpiry)
        {
            store.DeleteExpiredKeys(clock.GetUtcNow().AddSeconds(1));
        }
        else
        {
            store.Delete("/d", true, true);
        }

        foreach (var watcher in new[] { onKey, onMissingKey, onHiddenKey })
        {
            watcher.Events.TryRead(out var e).Should().BeTrue();
            e!.Action.Should().Be(byExpiry ? EtcdActions.Expire : EtcdActions.Delete);
            e.Node!.Key.Should().Be("/d");
            e.Node.Dir.Should().BeTrue();
        }
    }

    [Fact]
    public void A_stream_watch_gets_each_matching_event_exactly_once_even_for_its_own_directory_removal()
    {
        var store = NewStore();
        store.Set("/d/k", false, "1", null, false);
        using var watcher = store.Watch("/d", true, true, 0);

        store.Set("/d/k", false, "2", null, false);
        store.Delete("/d", true, true);

        var events = new List<EtcdEvent>();
        while (watcher.Events.TryRead(out var e))
        {
            events.Add(e);
        }

        events.Select(e => (e.Action, e.Node!.Key)).Should().Equal((EtcdActions.Set, "/d/k"), (EtcdActions.Delete, "/d"));
        store.WatcherCount.Should().Be(1);
    }

    [Theory]
    [InlineData("/", "/_hidden")]
    [InlineData("/", "/d/_hidden/x")]
    [InlineData("/d", "/d/_hidden")]
    public void Live_recursive_watchers_never_see_hidden_keys_below_them(string watched, string hiddenKey)
    {
        var store = NewStore();
        using var watcher = store.Watch(watched, true, false, 0);

        store.Set(hiddenKey, false, "1", null, false);

        watcher.HasPendingEvent().Should().BeFalse();
    }

    [Fact]
    public void A_watch_on_a_hidden_key_itself_or_inside_a_hidden_directory_sees_it()
    {
        var store = NewStore();
        using var onKey = store.Watch("/_hidden", false, false, 0);
        using var insideHidden = store.Watch("/_dir", true, false, 0);

        store.Set("/_hidden", false, "1", null, false);
        store.Set("/_dir/x", false, "1", null, false);

        onKey.HasPendingEvent().Should().BeTrue();
        insideHidden.HasPendingEvent().Should().BeTrue();
    }

    [Fact]
    public void A_wait_index_in_the_future_skips_earlier_events()
    {
        var store = NewStore();
        using var watcher = store.Watch("/a", false, false, 3);

        store.Set("/a", false, "1", null, false);
        store.Set("/a", false, "2", null, false);
        watcher.HasPendingEvent().Should().BeFalse();
        store.Set("/a", false, "3", null, false);

        watcher.Events.TryRead(out var e).Should().BeTrue();
        e!.Node!.ModifiedIndex.Should().Be(3);
    }

    [Fact]
    public void A_stream_watch_keeps_delivering_until_disposed()
    {
        var store = NewStore();
        var watcher = store.Watch("/a", false, true, 0);

        for (var i = 1; i <= 5; i++)
        {
            store.Set("/a", false, i.ToString(), null, false);
        }

        store.WatcherCount.Should().Be(1);
        var values = new List<string?>();
        while (watcher.Events.TryRead(out var e))
        {
            values.Add(e.Node!.Value);
        }

        values.Should().Equal("1", "2", "3", "4", "5");
        watcher.Dispose();
        watcher.Dispose();
        store.WatcherCount.Should().Be(0);
        watcher.IsCompleted().Should().BeTrue();
    }

    [Fact]
    public void A_stream_watcher_that_falls_a_full_buffer_behind_is_dropped_and_completed()
    {
        var store = NewStore(watcherBuffer: 2);
        using var slow = store.Watch("/a", false, true, 0);

        for (var i = 1; i <= 3; i++)
        {
            store.Set("/a", false, i.ToString(), null, false);
        }

        store.WatcherCount.Should().Be(0);
        slow.Events.TryRead(out _).Should().BeTrue();
        slow.Events.TryRead(out _).Should().BeTrue();
        slow.IsCompleted().Should().BeTrue();
    }
}
