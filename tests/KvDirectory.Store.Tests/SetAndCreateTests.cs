using KvDirectory.Protocol;
using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

public sealed class SetAndCreateTests
{
    [Fact]
    public void Set_of_a_new_key_answers_set_without_prevNode_and_advances_the_index()
    {
        var store = NewStore();

        var e = store.Set("/a", false, "1", null, false);

        e.Action.Should().Be(EtcdActions.Set);
        e.EtcdIndex.Should().Be(1);
        store.CurrentIndex.Should().Be(1);
        e.PrevNode.Should().BeNull();
        e.Node.Should().BeEquivalentTo(new EtcdNode { Key = "/a", Value = "1", ModifiedIndex = 1, CreatedIndex = 1 });
    }

    [Fact]
    public void Set_over_an_existing_key_makes_a_new_node_and_returns_the_old_one_as_prevNode()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);

        var e = store.Set("/a", false, "2", null, false);

        e.Node.Should().BeEquivalentTo(new EtcdNode { Key = "/a", Value = "2", ModifiedIndex = 2, CreatedIndex = 2 });
        e.PrevNode.Should().BeEquivalentTo(new EtcdNode { Key = "/a", Value = "1", ModifiedIndex = 1, CreatedIndex = 1 });
    }

    [Fact]
    public void Set_creates_missing_parent_directories_with_the_same_index()
    {
        var store = NewStore();

        store.Set("/p/q/r", false, "v", null, false);

        store.Get("/p/q", false, false).Node.Should().BeEquivalentTo(new EtcdNode
        {
            Key = "/p/q",
            Dir = true,
            Nodes = [new EtcdNode { Key = "/p/q/r", Value = "v", ModifiedIndex = 1, CreatedIndex = 1 }],
            ModifiedIndex = 1,
            CreatedIndex = 1,
        });
    }

    [Fact]
    public void Set_with_dir_makes_an_empty_directory()
    {
        var store = NewStore();

        var e = store.Set("/d", true, "", null, false);

        e.Node.Should().BeEquivalentTo(new EtcdNode { Key = "/d", Dir = true, ModifiedIndex = 1, CreatedIndex = 1 });
    }

    [Fact]
    public void Set_with_dir_onto_an_existing_file_replaces_the_file()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);

        var e = store.Set("/a", true, "", null, false);

        e.Node!.Dir.Should().BeTrue();
        e.PrevNode!.Value.Should().Be("1");
        store.Get("/a", false, false).Node!.Dir.Should().BeTrue();
    }

    [Fact]
    public void Create_answers_create_with_a_new_node()
    {
        var store = NewStore();

        var e = store.Create("/a", false, "1", false, null);

        e.Action.Should().Be(EtcdActions.Create);
        e.Node.Should().BeEquivalentTo(new EtcdNode { Key = "/a", Value = "1", ModifiedIndex = 1, CreatedIndex = 1 });
    }

    [Fact]
    public void Create_with_unique_names_the_key_with_its_index_padded_to_20_digits()
    {
        var store = NewStore();
        store.Set("/other", false, "x", null, false);

        var first = store.Create("/queue", false, "job1", true, null);
        var second = store.Create("/queue", false, "job2", true, null);

        first.Node!.Key.Should().Be("/queue/00000000000000000002");
        second.Node!.Key.Should().Be("/queue/00000000000000000003");
        store.Get("/queue", false, true).Node!.Nodes!.Select(n => n.Value).Should().Equal("job1", "job2");
    }

    [Fact]
    public void Create_with_unique_under_the_root_works()
    {
        var store = NewStore();

        store.Create("/", false, "v", true, null).Node!.Key.Should().Be("/00000000000000000001");
    }

    [Fact]
    public void Failed_writes_change_nothing_not_even_missing_parents()
    {
        var store = NewStore();
        store.Set("/f", false, "file", null, false);
        var digest = store.ComputeDigest();

        ShouldFail(() => store.Create("/f/x/y", false, "v", false, null)).ErrorCode.Should().Be(EtcdErrorCode.NotDir);
        ShouldFail(() => store.Create("/f", false, "v", false, null)).ErrorCode.Should().Be(EtcdErrorCode.NodeExist);

        store.ComputeDigest().Should().Be(digest);
        store.CurrentIndex.Should().Be(1);
    }
}
