using KvDirectory.Protocol.Dump;
using KvDirectory.Store.Browsing;

namespace KvDirectory.Store.Tests;

/// <summary>The explorer's batched search and an import's dry run.</summary>
public sealed class SearchAndImportPlanTests
{
    private static V2Store Tree()
    {
        var store = StoreTestKit.NewStore();
        store.Set("/svc/api/endpoint", false, "http://10.0.0.1", null, false);
        store.Set("/svc/api/_token", false, "secret NEEDLE", null, false);
        store.Set("/svc/apix", false, "x", null, false);
        store.Set("/svc/web/endpoint", false, "has a needle", null, false);
        store.Set("/other/needle-key", false, "v", null, false);
        return store;
    }

    private static List<string> All(V2Store store, SearchQuery query, int maxMatches = 1000, int maxVisited = 100_000)
    {
        var keys = new List<string>();
        string? resume = null;
        do
        {
            var batch = store.Search(query, resume, maxMatches, maxVisited);
            keys.AddRange(batch.Matches.Select(m => m.Key));
            resume = batch.ResumeAfter;
        }
        while (resume is not null);
        return keys;
    }

    [Fact]
    public void A_prefix_search_finds_keys_and_directories_whose_path_starts_with_it_in_key_order()
    {
        All(Tree(), new SearchQuery { Prefix = "/svc/api" }).Should().Equal("/svc/api", "/svc/api/endpoint", "/svc/apix");
    }

    [Fact]
    public void A_text_search_looks_in_paths_and_values_ignoring_case_and_skips_hidden_keys_unless_asked()
    {
        All(Tree(), new SearchQuery { Contains = "needle" }).Should().Equal("/other/needle-key", "/svc/web/endpoint");
        All(Tree(), new SearchQuery { Contains = "needle", IncludeHidden = true }).Should().Equal("/other/needle-key", "/svc/api/_token", "/svc/web/endpoint");
        All(Tree(), new SearchQuery { Contains = "endpoint", Under = "/svc/web" }).Should().Equal("/svc/web/endpoint");
    }

    [Fact]
    public void Batches_resumed_one_after_another_find_exactly_what_one_walk_finds()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var store = StoreTestKit.NewStore();
        for (var i = 0; i < 400; i++)
        {
            // Names like "a", "a!" and "a-" sort around the '/' that separates a directory from its children.
            string[] names = ["a", "a!", "a-", "b", "z"];
            var path = "/" + string.Join('/', Enumerable.Range(0, random.Next(1, 5)).Select(_ => names[random.Next(names.Length)] + random.Next(2)));
            try
            {
                store.Set(path, false, random.Next(2) == 0 ? "hit" : "miss", null, false);
            }
            catch (KvDirectory.Protocol.EtcdException)
            {
                // A key already sits where this path wants a directory: skip it.
            }
        }

        var query = new SearchQuery { Contains = "hit" };
        var oneWalk = All(store, query);
        oneWalk.Should().NotBeEmpty();
        foreach (var (matches, visits) in new[] { (1, 1000), (3, 1000), (1000, 1), (1000, 7), (2, 5) })
        {
            All(store, query, matches, visits).Should().Equal(oneWalk, $"batches of {matches} matches / {visits} visits (seed {seed})");
        }
    }

    [Fact]
    public void Pre_order_puts_a_directory_before_its_children_and_those_before_its_next_sibling()
    {
        var ordered = new[] { "/a", "/a/x", "/a/y/z", "/a!", "/a-b", "/b" };
        ordered.Order(Comparer<string>.Create(V2Store.PreorderCompare)).Should().Equal(ordered);
    }

    [Fact]
    public void An_import_plan_sorts_every_entry_into_added_changed_unchanged_or_conflicting_and_writes_nothing()
    {
        var store = StoreTestKit.NewStore();
        store.Set("/imp/same", false, "kept", null, false);
        store.Set("/imp/diff", false, "old", null, false);
        store.Set("/imp/file", false, "a key", null, false);
        store.Set("/imp/dir/x", false, "1", null, false);
        var before = store.CurrentIndex;
        var dump = new KeyDump
        {
            Prefix = "/imp",
            Nodes =
            [
                new KeyDumpEntry { Key = "/imp/new", Value = "fresh" },
                new KeyDumpEntry { Key = "/imp/same", Value = "kept" },
                new KeyDumpEntry { Key = "/imp/diff", Value = "new" },
                new KeyDumpEntry { Key = "/imp/file/y", Value = "under a key" },
                new KeyDumpEntry { Key = "/imp/dir", Dir = true },
                new KeyDumpEntry { Key = "/imp/dir/x", Dir = true },
            ],
        };
        var plan = store.PlanImport(dump, null);
        plan.Items.Select(i => (i.Key, i.Status)).Should().Equal(
            ("/imp/new", ImportStatus.Added),
            ("/imp/same", ImportStatus.Unchanged),
            ("/imp/diff", ImportStatus.Changed),
            ("/imp/file/y", ImportStatus.Conflicting),
            ("/imp/dir", ImportStatus.Unchanged),
            ("/imp/dir/x", ImportStatus.Conflicting));
        plan.Items[2].CurrentValue.Should().Be("old");
        plan.Items[2].CurrentModifiedIndex.Should().Be(2);
        store.CurrentIndex.Should().Be(before);

        var moved = store.PlanImport(dump, "/elsewhere/deep");
        moved.Items.Select(i => i.Key).Should().StartWith("/elsewhere/deep/new");
        moved.Items.Should().OnlyContain(i => i.Status == ImportStatus.Added);
    }

    [Fact]
    public void An_import_plan_refuses_what_is_not_a_dump()
    {
        var act = () => StoreTestKit.NewStore().PlanImport(new KeyDump { Format = "something-else", Prefix = "/", Nodes = [] }, null);
        act.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData("/a/b", "/a", "/c", "/c/b")]
    [InlineData("/a", "/a", "/c", "/c")]
    [InlineData("/a/b", "/", "/c", "/c/a/b")]
    [InlineData("/a/b", "/a", "/", "/b")]
    [InlineData("/z", "/a", "/c", "/z")]
    public void Rebase_moves_keys_from_one_prefix_to_another(string key, string from, string to, string expected) =>
        V2Store.Rebase(key, from, to).Should().Be(expected);
}
