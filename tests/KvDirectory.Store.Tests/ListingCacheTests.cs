using System.Text.Json;
using Xunit.Abstractions;
using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

/// <summary>
/// <see cref="ListingCache"/> behind <see cref="V2Store.WriteGet"/>: a directory read again while the tree is unchanged is
/// answered from the JSON kept at its second read, byte for byte what rendering it gives (the records of
/// <see cref="V2Store.Get"/>, serialised, are the reference), and never once the tree, or the clock a ttl follows, moved on.
/// </summary>
public sealed class ListingCacheTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("/", true, false)]
    [InlineData("/", false, true)]
    [InlineData("/dir", true, true)]
    [InlineData("/dir", true, false)]
    [InlineData("/dir/", false, false)]
    [InlineData("dir/sub", true, true)]
    public void A_directory_read_again_without_a_write_is_answered_from_the_cache_with_the_same_bytes(string path, bool recursive, bool sorted)
    {
        var store = Tree();
        var expected = SerialisedEvent(store.Get(path, recursive, sorted));

        var reads = Enumerable.Range(0, 4).Select(_ => WrittenGet(store, path, recursive, sorted)).ToArray();

        reads.Should().AllSatisfy(read => read.Should().Be((expected, store.CurrentIndex)));
        store.ListingCacheHits.Should().Be(2, "the first read renders, the second renders and keeps, the rest are kept answers");
    }

    [Fact]
    public void Variants_of_one_directory_are_kept_apart()
    {
        var store = Tree();
        (string Path, bool Recursive, bool Sorted)[] variants = [("/dir", true, true), ("/dir", true, false), ("/dir", false, true), ("/dir", false, false)];

        for (var round = 0; round < 3; round++)
        {
            foreach (var (path, recursive, sorted) in variants)
            {
                WrittenGet(store, path, recursive, sorted).Json.Should().Be(SerialisedEvent(store.Get(path, recursive, sorted)));
            }
        }

        store.ListingCacheHits.Should().Be(variants.Length);
    }

    [Fact]
    public void A_write_anywhere_moves_the_index_and_the_next_read_shows_the_new_tree()
    {
        var store = Tree();
        ReadThrice(store, "/dir");
        var hits = store.ListingCacheHits;

        store.Set("/dir/a", false, "changed", null, false);
        WrittenGet(store, "/dir", true, true).Json.Should().Contain("\"value\":\"changed\"").And.Be(SerialisedEvent(store.Get("/dir", true, true)));

        store.Set("/elsewhere", false, "x", null, false);
        var (json, index) = WrittenGet(store, "/dir", true, true);
        json.Should().Be(SerialisedEvent(store.Get("/dir", true, true)));
        index.Should().Be(store.CurrentIndex);
        store.ListingCacheHits.Should().Be(hits, "no read after a write is a kept answer until the tree is read twice again");

        store.Delete("/dir/a", false, false);
        WrittenGet(store, "/dir", true, true).Json.Should().NotContain("/dir/a\"");
    }

    [Fact]
    public void A_listing_with_an_expiring_node_is_never_kept_and_its_ttl_follows_the_clock()
    {
        var clock = new ManualTimeProvider();
        var store = NewStore(clock);
        store.Set("/dir/permanent", false, "p", null, false);
        store.Set("/dir/deep/expiring", false, "e", clock.GetUtcNow().AddSeconds(100), false);

        var ttls = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (json, _) = WrittenGet(store, "/dir", true, true);
            json.Should().Be(SerialisedEvent(store.Get("/dir", true, true)));
            ttls.Add(json[json.IndexOf("\"ttl\":", StringComparison.Ordinal)..]);
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        ttls.Should().OnlyHaveUniqueItems("the ttl counts down at the same index");
        store.ListingCacheHits.Should().Be(0);
    }

    [Fact]
    public void A_listing_larger_than_the_cache_is_rendered_every_time()
    {
        var store = new V2Store(new StoreOptions { ListingCacheBytes = 100 }, new ManualTimeProvider());
        for (var i = 0; i < 20; i++)
        {
            store.Set($"/dir/key{i}", false, $"value{i}", null, false);
        }

        ReadThrice(store, "/dir").Should().Be(SerialisedEvent(store.Get("/dir", true, true)));
        store.ListingCacheHits.Should().Be(0);
    }

    [Fact]
    public void A_restore_to_the_same_index_with_another_tree_is_not_answered_from_the_cache()
    {
        var store = NewStore();
        store.Set("/dir/mine", false, "1", null, false);
        ReadThrice(store, "/dir");
        var other = NewStore();
        other.Set("/dir/theirs", false, "2", null, false);
        other.CurrentIndex.Should().Be(store.CurrentIndex);

        store.RestoreSnapshot(other.SaveSnapshot());

        WrittenGet(store, "/dir", true, true).Json.Should().Contain("/dir/theirs").And.NotContain("/dir/mine");
    }

    [Fact]
    public async Task Readers_racing_the_writer_always_see_one_point_of_its_history()
    {
        // The interleaving is the machine's; the check is exact every time, and each round is printed.
        for (var round = 1; round <= 5; round++)
        {
            output.WriteLine($"round {round}");
            var store = NewStore();
            store.Set("/dir", true, "", null, false);
            const int Writes = 3_000;
            var writer = Task.Run(() =>
            {
                // Index 1 made the directory; the i-th write is index i + 2 and adds a key, so at index n it holds n - 1.
                for (var i = 0; i < Writes; i++)
                {
                    store.Set($"/dir/{i:D5}", false, "v", null, false);
                }
            });
            var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                var reads = 0;
                while (!writer.IsCompleted || reads < 10)
                {
                    var (json, index) = WrittenGet(store, "/dir", recursive: true, sorted: true);
                    var node = JsonDocument.Parse(json).RootElement.GetProperty("node");
                    var keys = node.TryGetProperty("nodes", out var nodes) ? nodes.GetArrayLength() : 0;
                    keys.Should().Be((int)index - 1, $"round {round}: the listing answered at index {index}");
                    reads++;
                }
            })).ToArray();

            await writer;
            await Task.WhenAll(readers);
            store.ListingCacheHits.Should().BeGreaterThan(0, $"round {round}: reads after the last write come from the cache");
        }
    }

    private static string ReadThrice(V2Store store, string path)
    {
        var reads = Enumerable.Range(0, 3).Select(_ => WrittenGet(store, path, true, true).Json).Distinct().ToArray();
        reads.Should().ContainSingle();
        return reads[0];
    }

    /// <summary>Files, nested and empty directories, hidden keys and odd characters; nothing expires.</summary>
    private static V2Store Tree()
    {
        var store = NewStore();
        store.Set("/key", false, "", null, false);
        store.Set("/dir/b", false, "2", null, false);
        store.Set("/dir/a", false, "1", null, false);
        store.Set("/dir/_hidden", false, "h", null, false);
        store.Set("/dir/empty", true, "", null, false);
        store.Set("/dir/sub/z", false, "z", null, false);
        store.Set("/dir/sub/\"quoted\"", false, "<b> & \\ \n é 🙂", null, false);
        store.Set("/dir/sub/deeper/leaf", false, "l", null, false);
        store.Set("/_hidden/x", false, "x", null, false);
        return store;
    }
}
