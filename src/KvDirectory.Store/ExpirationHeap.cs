namespace KvDirectory.Store;

/// <summary>
/// Min-heap of the nodes that have a TTL, ordered by expiration then path so that a sweep
/// touches only what expires and expires it in the same order on every replica.
/// Each node remembers its heap position, so removal and re-keying are O(log n).
/// </summary>
internal sealed class ExpirationHeap
{
    private readonly List<TreeNode> _items = [];

    public int Count => _items.Count;

    public TreeNode? Peek() => _items.Count == 0 ? null : _items[0];

    public void Push(TreeNode node)
    {
        node.HeapPosition = _items.Count;
        _items.Add(node);
        SiftUp(node.HeapPosition);
    }

    public void Remove(TreeNode node)
    {
        var position = node.HeapPosition;
        if (position < 0)
        {
            return;
        }

        var last = _items.Count - 1;
        if (position != last)
        {
            Swap(position, last);
        }

        _items.RemoveAt(last);
        node.HeapPosition = -1;
        if (position < _items.Count)
        {
            Fix(position);
        }
    }

    /// <summary>Puts a node whose expiration changed back in order (or in the heap, if it was not).</summary>
    public void Update(TreeNode node)
    {
        if (node.HeapPosition < 0)
        {
            Push(node);
            return;
        }

        Fix(node.HeapPosition);
    }

    public void Clear()
    {
        foreach (var node in _items)
        {
            node.HeapPosition = -1;
        }

        _items.Clear();
    }

    private void Fix(int position)
    {
        if (!SiftUp(position))
        {
            SiftDown(position);
        }
    }

    private bool SiftUp(int position)
    {
        var moved = false;
        while (position > 0)
        {
            var parent = (position - 1) / 2;
            if (!Less(position, parent))
            {
                break;
            }

            Swap(position, parent);
            position = parent;
            moved = true;
        }

        return moved;
    }

    private void SiftDown(int position)
    {
        while (true)
        {
            var left = (2 * position) + 1;
            if (left >= _items.Count)
            {
                return;
            }

            var smallest = left;
            var right = left + 1;
            if (right < _items.Count && Less(right, left))
            {
                smallest = right;
            }

            if (!Less(smallest, position))
            {
                return;
            }

            Swap(position, smallest);
            position = smallest;
        }
    }

    private bool Less(int a, int b)
    {
        var x = _items[a];
        var y = _items[b];
        var byTime = x.ExpireUtcTicks.CompareTo(y.ExpireUtcTicks);
        return byTime != 0 ? byTime < 0 : string.CompareOrdinal(x.Path, y.Path) < 0;
    }

    private void Swap(int a, int b)
    {
        (_items[a], _items[b]) = (_items[b], _items[a]);
        _items[a].HeapPosition = a;
        _items[b].HeapPosition = b;
    }
}
