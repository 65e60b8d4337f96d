using KvDirectory.Protocol;
using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

public sealed class SmallContractTests
{
    [Fact]
    public void Options_default_to_ten_thousand_events_of_history_and_a_hundred_buffered_events_per_watcher()
    {
        var options = new StoreOptions();

        options.EventHistoryCapacity.Should().Be(10_000);
        options.WatcherBufferSize.Should().Be(100);
    }

    [Fact]
    public void A_fresh_store_is_at_index_zero_with_an_empty_root()
    {
        var store = NewStore();

        store.CurrentIndex.Should().Be(0);
        var root = store.Get("/", true, true);
        root.EtcdIndex.Should().Be(0);
        root.Node.Should().BeEquivalentTo(new EtcdNode { Dir = true });
    }

    [Fact]
    public void Watch_paths_are_cleaned_like_write_paths()
    {
        var store = NewStore();
        using var watcher = store.Watch("a/", false, false, 0);

        store.Set("/a", false, "1", null, false);

        watcher.HasPendingEvent().Should().BeTrue();
    }

    [Fact]
    public void A_watch_from_index_zero_does_not_replay_the_current_event()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);

        using var watcher = store.Watch("/a", false, false, 0);

        watcher.HasPendingEvent().Should().BeFalse();
        watcher.StartIndex.Should().Be(1);
    }

    [Fact]
    public void Create_with_unique_and_dir_makes_an_in_order_directory()
    {
        var store = NewStore();

        var e = store.Create("/jobs", true, "", true, null);

        e.Node.Should().BeEquivalentTo(new EtcdNode { Key = "/jobs/00000000000000000001", Dir = true, ModifiedIndex = 1, CreatedIndex = 1 });
    }

    [Fact]
    public void Set_over_a_hidden_key_keeps_it_hidden_from_listings_but_answers_normally()
    {
        var store = NewStore();

        var e = store.Set("/_h", false, "1", null, false);

        e.Node!.Key.Should().Be("/_h");
        store.Get("/", false, false).Node!.Nodes.Should().BeNull();
    }
}
