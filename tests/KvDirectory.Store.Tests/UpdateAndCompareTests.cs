using KvDirectory.Protocol;
using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

public sealed class UpdateAndCompareTests
{
    [Fact]
    public void Update_keeps_createdIndex_and_returns_prevNode()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);
        store.Set("/b", false, "x", null, false);

        var e = store.Update("/a", "2", null, false);

        e.Action.Should().Be(EtcdActions.Update);
        e.Node.Should().BeEquivalentTo(new EtcdNode { Key = "/a", Value = "2", ModifiedIndex = 3, CreatedIndex = 1 });
        e.PrevNode.Should().BeEquivalentTo(new EtcdNode { Key = "/a", Value = "1", ModifiedIndex = 1, CreatedIndex = 1 });
        store.Get("/a", false, false).Node!.ModifiedIndex.Should().Be(3);
    }

    [Fact]
    public void Update_of_a_directory_with_an_empty_value_only_changes_its_ttl()
    {
        var clock = new ManualTimeProvider();
        var store = NewStore(clock);
        store.Set("/d", true, "", null, false);

        var e = store.Update("/d", "", clock.GetUtcNow().AddSeconds(30), false);

        e.Node!.Dir.Should().BeTrue();
        e.Node.Value.Should().BeNull();
        e.Node.Ttl.Should().Be(30);
        e.Node.ModifiedIndex.Should().Be(2);
        store.Get("/d", false, false).Node!.Ttl.Should().Be(30);
    }

    [Theory]
    [InlineData("1", 0L)]
    [InlineData("", 1L)]
    [InlineData("1", 1L)]
    public void CompareAndSwap_succeeds_when_every_given_condition_holds(string prevValue, long prevIndex)
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);

        var e = store.CompareAndSwap("/a", prevValue, prevIndex, "2", null, false);

        e.Action.Should().Be(EtcdActions.CompareAndSwap);
        e.Node.Should().BeEquivalentTo(new EtcdNode { Key = "/a", Value = "2", ModifiedIndex = 2, CreatedIndex = 1 });
        e.PrevNode!.Value.Should().Be("1");
    }

    [Fact]
    public void Delete_of_a_key_answers_delete_without_value_and_with_prevNode()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);

        var e = store.Delete("/a", false, false);

        e.Action.Should().Be(EtcdActions.Delete);
        e.EtcdIndex.Should().Be(2);
        e.Node.Should().BeEquivalentTo(new EtcdNode { Key = "/a", ModifiedIndex = 2, CreatedIndex = 1 });
        e.PrevNode.Should().BeEquivalentTo(new EtcdNode { Key = "/a", Value = "1", ModifiedIndex = 1, CreatedIndex = 1 });
        ShouldFail(() => store.Get("/a", false, false)).ErrorCode.Should().Be(EtcdErrorCode.KeyNotFound);
    }

    [Fact]
    public void Delete_of_a_file_with_dir_set_is_allowed()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);

        store.Delete("/a", true, false).Node!.Dir.Should().BeFalse();
    }

    [Fact]
    public void Delete_of_an_empty_directory_with_dir_marks_the_node_as_dir()
    {
        var store = NewStore();
        store.Set("/d", true, "", null, false);

        var e = store.Delete("/d", true, false);

        e.Node.Should().BeEquivalentTo(new EtcdNode { Key = "/d", Dir = true, ModifiedIndex = 2, CreatedIndex = 1 });
        e.PrevNode.Should().BeEquivalentTo(new EtcdNode { Key = "/d", Dir = true, ModifiedIndex = 1, CreatedIndex = 1 });
    }

    [Fact]
    public void Recursive_delete_implies_dir_and_removes_everything_beneath()
    {
        var store = NewStore();
        store.Set("/d/x/y", false, "1", null, false);
        store.Set("/d/z", false, "2", null, false);

        var e = store.Delete("/d", false, true);

        e.Node!.Dir.Should().BeTrue();
        store.Get("/", true, false).Node!.Nodes.Should().BeNull();
    }

    [Fact]
    public void CompareAndDelete_removes_a_matching_key()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);

        var e = store.CompareAndDelete("/a", "1", 1);

        e.Action.Should().Be(EtcdActions.CompareAndDelete);
        e.Node.Should().BeEquivalentTo(new EtcdNode { Key = "/a", ModifiedIndex = 2, CreatedIndex = 1 });
        e.PrevNode!.Value.Should().Be("1");
    }

    [Fact]
    public void Apply_dispatches_every_command_like_the_direct_calls()
    {
        var direct = NewStore();
        var applied = NewStore();
        var expire = ManualTimeProvider.DefaultStart.AddSeconds(5);

        var directEvents = new[]
        {
            direct.Set("/a", false, "1", null, false),
            direct.Create("/q", false, "x", true, null),
            direct.Update("/a", "2", expire, false),
            direct.CompareAndSwap("/a", "2", 0, "3", expire, false),
            direct.Set("/b", false, "b", null, false),
            direct.CompareAndDelete("/b", "b", 0),
            direct.Delete("/q", true, true),
        };
        StoreCommand[] commands =
        [
            new SetCommand("/a", false, "1", null, false),
            new CreateCommand("/q", false, "x", true, null),
            new UpdateCommand("/a", "2", expire, false),
            new CompareAndSwapCommand("/a", "2", 0, "3", expire, false),
            new SetCommand("/b", false, "b", null, false),
            new CompareAndDeleteCommand("/b", "b", 0),
            new DeleteCommand("/q", true, true),
        ];
        var appliedEvents = commands.Select(applied.Apply).ToArray();

        appliedEvents.Should().BeEquivalentTo(directEvents, o => o.WithStrictOrdering());
        applied.Apply(new ExpireKeysCommand(expire)).Should().BeNull();
        applied.Get("/", true, false).Node!.Nodes.Should().BeNull();
    }
}
