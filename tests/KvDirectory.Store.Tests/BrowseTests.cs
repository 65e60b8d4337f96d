using KvDirectory.Protocol;
using KvDirectory.Protocol.Dump;
using KvDirectory.Store.Browsing;

namespace KvDirectory.Store.Tests;

/// <summary>The explorer's read-only views of the store: paged listings, subtree sizes, per-key history and dumps.</summary>
public sealed class BrowseTests
{
    private static V2Store Seeded(ManualTimeProvider? clock = null)
    {
        var store = StoreTestKit.NewStore(clock);
        store.Set("/app/b", false, "two", null, false);
        store.Set("/app/a", false, "one", null, false);
        store.Set("/app/_hidden", false, "h", null, false);
        store.Set("/app/sub/x", false, "x", null, false);
        store.Set("/app/sub/_y", false, "y", null, false);
        return store;
    }

    [Fact]
    public void A_page_lists_children_by_name_with_child_counts_and_leaves_hidden_keys_out_unless_asked()
    {
        var store = Seeded();
        var page = store.ListPage("/app", 0, 10, includeHidden: false);
        page.Node.Dir.Should().BeTrue();
        page.Total.Should().Be(3);
        page.Children.Select(c => c.Name).Should().Equal("a", "b", "sub");
        page.Children.Single(c => c.Name == "sub").ChildCount.Should().Be(1);
        page.EtcdIndex.Should().Be(store.CurrentIndex);

        var withHidden = store.ListPage("/app", 0, 10, includeHidden: true);
        withHidden.Children.Select(c => c.Name).Should().Equal("_hidden", "a", "b", "sub");
        withHidden.Children.Single(c => c.Name == "sub").ChildCount.Should().Be(2);
        withHidden.Children[0].Hidden.Should().BeTrue();
    }

    [Fact]
    public void Pages_are_windows_onto_one_sorted_listing_that_follows_changes()
    {
        var store = StoreTestKit.NewStore();
        for (var i = 0; i < 2500; i++)
        {
            store.Set($"/big/k{i:D5}", false, "v", null, false);
        }

        var window = store.ListPage("/big", 1200, 5, includeHidden: false);
        window.Total.Should().Be(2500);
        window.Offset.Should().Be(1200);
        window.Children.Select(c => c.Name).Should().Equal("k01200", "k01201", "k01202", "k01203", "k01204");
        store.ListPage("/big", 2498, 100, false).Children.Should().HaveCount(2);
        store.ListPage("/big", 3000, 100, false).Children.Should().BeEmpty();

        // The sorted names are cached; a new child must still show.
        store.Set("/big/k01200a", false, "new", null, false);
        store.ListPage("/big", 1200, 3, false).Children.Select(c => c.Name).Should().Equal("k01200", "k01200a", "k01201");
        store.Delete("/big/k01200", false, false);
        store.ListPage("/big", 1200, 2, false).Children.Select(c => c.Name).Should().Equal("k01200a", "k01201");
    }

    [Fact]
    public void A_long_value_is_cut_in_a_listing_and_a_key_lists_as_itself()
    {
        var store = StoreTestKit.NewStore();
        store.Set("/long", false, new string('v', 1000), null, false);
        var row = store.ListPage("/", 0, 10, false).Children.Single();
        row.Value.Should().HaveLength(V2Store.PreviewLength);
        row.Truncated.Should().BeTrue();
        var self = store.ListPage("/long", 0, 10, false);
        self.Node.Dir.Should().BeFalse();
        self.Children.Should().BeEmpty();
    }

    [Fact]
    public void Listing_what_does_not_exist_fails_as_a_get_does()
    {
        var error = StoreTestKit.ShouldFail(() => Seeded().ListPage("/nope", 0, 10, false));
        error.ErrorCode.Should().Be(EtcdErrorCode.KeyNotFound);
        error.Cause.Should().Be("/nope");
    }

    [Fact]
    public void A_subtree_size_counts_every_key_and_directory_a_recursive_delete_removes()
    {
        var store = Seeded();
        var size = store.CountSubtree("/app");
        size.Keys.Should().Be(5);
        size.Dirs.Should().Be(2);
        store.Set("/app/sub/z", false, "z", null, false);
        store.CountSubtree("/app").ChangedIndex.Should().BeGreaterThan(size.ChangedIndex, "anything beneath changing moves it");
        store.CountSubtree("/app/a").Should().Be(new SubtreeSize(1, 0, 2, store.CurrentIndex));
    }

    [Fact]
    public void A_keys_history_is_its_own_events_newest_first_including_the_removal_of_a_directory_above_it()
    {
        var store = Seeded();
        store.Set("/app/a", false, "uno", null, false);
        store.Set("/app/b", false, "dos", null, false);
        store.Delete("/app", true, true);
        var history = store.History("/app/a", 10);
        history.Events.Select(e => e.Action).Should().Equal(EtcdActions.Delete, EtcdActions.Set, EtcdActions.Set);
        history.Events[1].PrevNode!.Value.Should().Be("one");
        history.Events[1].Node!.Value.Should().Be("uno");
        store.History("/app/a", 1).Events.Should().ContainSingle();
        history.OldestIndex.Should().Be(1);
    }

    [Fact]
    public void A_dump_lists_directories_before_their_children_with_hidden_keys_and_seconds_left()
    {
        var clock = new ManualTimeProvider();
        var store = Seeded(clock);
        store.Set("/app/t", false, "ttl", clock.GetUtcNow().AddSeconds(30), false);
        clock.Advance(TimeSpan.FromSeconds(10));
        var dump = store.Dump("/app", clock.GetUtcNow());
        dump.Prefix.Should().Be("/app");
        dump.Nodes.Select(n => n.Key).Should().Equal("/app/_hidden", "/app/a", "/app/b", "/app/sub", "/app/sub/_y", "/app/sub/x", "/app/t");
        dump.Nodes.Single(n => n.Key == "/app/t").Ttl.Should().Be(20);
        dump.Nodes.Single(n => n.Key == "/app/sub").Should().Match<KeyDumpEntry>(n => n.Dir && n.Value == null);
        store.Dump("/app/a", clock.GetUtcNow()).Nodes.Single().Value.Should().Be("one");
    }
}
