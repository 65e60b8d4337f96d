namespace KvDirectory.Store.Tests;

/// <summary>A directory's child set is keyed by the tail of each child's path, with no name stored beside it.</summary>
public sealed class TreeChildrenTests
{
    private static readonly TreeNode Dir = TreeNode.NewDir("/dir", null, 1, null);

    private static TreeNode File(string name) => TreeNode.NewFile("/dir/" + name, Dir, 2, "v", null);

    [Fact]
    public void A_child_is_found_by_any_span_holding_its_name_and_a_second_child_of_that_name_is_refused()
    {
        var children = new TreeChildren();
        var b = File("b");
        children.Add(File("a")).Should().BeTrue();
        children.Add(b).Should().BeTrue();

        children.TryGetValue("/x/b/y".AsSpan(3, 1), out var found).Should().BeTrue();
        found.Should().BeSameAs(b);
        children.TryGetValue("c", out _).Should().BeFalse();
        children.TryGetValue("/dir/b", out _).Should().BeFalse("a name is the tail of the path, not the path");
        children.Add(File("b")).Should().BeFalse();
        children.Remove(File("b")).Should().BeTrue("a node of the same name stands for it");
        children.TryGetValue("b", out _).Should().BeFalse();
    }

    [Fact]
    public void Children_sort_in_ordinal_name_order()
    {
        var children = new TreeChildren();
        foreach (var name in new[] { "b", "_hidden", "B", "a1", "a", "é" })
        {
            children.Add(File(name));
        }

        children.SortedByName().Select(c => c.Name.ToString()).Should().Equal("B", "_hidden", "a", "a1", "b", "é");
    }

    [Fact]
    public void The_root_has_an_empty_name_and_a_hidden_name_starts_with_an_underscore()
    {
        TreeNode.NewDir(StorePath.Root, null, 0, null).Name.ToString().Should().BeEmpty();
        File("_x").IsHidden.Should().BeTrue();
        File("x_").IsHidden.Should().BeFalse();
    }
}
