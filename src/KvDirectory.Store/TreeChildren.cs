namespace KvDirectory.Store;

/// <summary>
/// A directory's children, keyed by their names without storing them: a name is the tail of its node's path, so the set
/// holds the nodes alone (16 bytes an entry against a dictionary's 24 and a name string per key), and a lookup by a
/// span of a request path allocates nothing.
/// </summary>
internal sealed class TreeChildren() : HashSet<TreeNode>(ByName.Instance)
{
    public bool TryGetValue(ReadOnlySpan<char> name, out TreeNode child) =>
        GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out child!);

    /// <summary>The children in ordinal name order (a copy: the caller may keep it).</summary>
    public TreeNode[] SortedByName()
    {
        var children = this.ToArray();
        SortByName(children);
        return children;
    }

    public static void SortByName(TreeNode[] nodes) => Array.Sort(nodes, static (a, b) => a.Name.SequenceCompareTo(b.Name));

    private sealed class ByName : IEqualityComparer<TreeNode>, IAlternateEqualityComparer<ReadOnlySpan<char>, TreeNode>
    {
        public static ByName Instance { get; } = new();

        public bool Equals(TreeNode? x, TreeNode? y) => x is not null && y is not null && x.Name.SequenceEqual(y.Name);

        public int GetHashCode(TreeNode node) => string.GetHashCode(node.Name);

        public bool Equals(ReadOnlySpan<char> alternate, TreeNode other) => alternate.SequenceEqual(other.Name);

        public int GetHashCode(ReadOnlySpan<char> alternate) => string.GetHashCode(alternate);

        // A node is never made from a bare name: children are added whole.
        public TreeNode Create(ReadOnlySpan<char> alternate) => throw new NotSupportedException();
    }
}
