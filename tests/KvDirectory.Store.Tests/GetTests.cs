using KvDirectory.Protocol;
using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

public sealed class GetTests
{
    [Fact]
    public void Get_of_a_key_answers_get_with_its_value_and_indexes()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);

        var e = store.Get("/a", false, false);

        e.Action.Should().Be(EtcdActions.Get);
        e.EtcdIndex.Should().Be(1);
        e.Node.Should().BeEquivalentTo(new EtcdNode { Key = "/a", Value = "1", ModifiedIndex = 1, CreatedIndex = 1 });
    }

    [Fact]
    public void Get_of_the_root_has_no_key_and_no_indexes()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);

        var node = store.Get("/", false, false).Node!;

        node.Key.Should().BeNull();
        node.Dir.Should().BeTrue();
        node.CreatedIndex.Should().Be(0);
        node.ModifiedIndex.Should().Be(0);
        node.Nodes.Should().ContainSingle().Which.Key.Should().Be("/a");
    }

    [Fact]
    public void Get_of_an_empty_directory_has_no_nodes_at_all()
    {
        var store = NewStore();
        store.Set("/d", true, "", null, false);

        store.Get("/d", false, false).Node!.Nodes.Should().BeNull();
        store.Get("/d", true, true).Node!.Nodes.Should().BeNull();
        store.Get("/", false, false).Node!.Nodes.Should().ContainSingle().Which.Nodes.Should().BeNull();
    }

    [Fact]
    public void Get_of_a_directory_lists_children_and_only_recursive_lists_grandchildren()
    {
        var store = NewStore();
        store.Set("/d/x/y", false, "deep", null, false);
        store.Set("/d/k", false, "v", null, false);

        var flat = store.Get("/d", false, true).Node!;
        flat.Nodes!.Select(n => n.Key).Should().Equal("/d/k", "/d/x");
        flat.Nodes![1].Dir.Should().BeTrue();
        flat.Nodes![1].Nodes.Should().BeNull();

        var deep = store.Get("/d", true, true).Node!;
        deep.Nodes![1].Nodes.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new EtcdNode { Key = "/d/x/y", Value = "deep", ModifiedIndex = 1, CreatedIndex = 1 });
    }

    [Fact]
    public void Sorted_listing_orders_children_by_key()
    {
        var store = NewStore();
        foreach (var name in new[] { "c", "a", "b", "aa" })
        {
            store.Set("/s/" + name, false, name, null, false);
        }

        store.Get("/s", false, true).Node!.Nodes!.Select(n => n.Key).Should().Equal("/s/a", "/s/aa", "/s/b", "/s/c");
        store.Get("/s", false, false).Node!.Nodes!.Select(n => n.Key).Should().BeEquivalentTo("/s/a", "/s/aa", "/s/b", "/s/c");
    }

    [Fact]
    public void Hidden_keys_are_readable_by_name_but_absent_from_listings()
    {
        var store = NewStore();
        store.Set("/d/_hidden", false, "secret", null, false);
        store.Set("/d/shown", false, "v", null, false);

        store.Get("/d/_hidden", false, false).Node!.Value.Should().Be("secret");
        store.Get("/d", true, true).Node!.Nodes!.Select(n => n.Key).Should().Equal("/d/shown");
    }

    [Theory]
    [InlineData("/a/b/c", 100, "/a")]
    [InlineData("/x/y", 100, "/x/y")]
    [InlineData("/x/f/z", 104, "/x/f")]
    [InlineData("/x/f/z/w", 104, "/x/f")]
    public void Get_failures_name_the_first_missing_component_or_the_file_in_the_way(string path, int code, string cause)
    {
        var store = NewStore();
        store.Set("/x/f", false, "file", null, false);

        var ex = ShouldFail(() => store.Get(path, true, true));

        ex.ErrorCode.Should().Be(code);
        ex.Cause.Should().Be(cause);
        ex.Index.Should().Be(store.CurrentIndex);
    }

    [Theory]
    [InlineData("a", "/a")]
    [InlineData("/a/", "/a")]
    [InlineData("//a//b/../b", "/a/b")]
    [InlineData("/a/./b", "/a/b")]
    public void Paths_are_cleaned_as_etcd_cleans_them(string raw, string key)
    {
        var store = NewStore();
        store.Set(raw, false, "v", null, false);

        store.Get(key, false, false).Node!.Key.Should().Be(key);
    }

    [Fact]
    public void Returned_nodes_are_copies_that_later_writes_do_not_change()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);
        var before = store.Get("/a", false, false);

        store.Set("/a", false, "2", null, false);

        before.Node!.Value.Should().Be("1");
    }
}
