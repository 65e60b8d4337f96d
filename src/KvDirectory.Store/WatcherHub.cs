using KvDirectory.Protocol;

namespace KvDirectory.Store;

/// <summary>
/// The live watchers, by path. Registration and disposal may come from any thread; the writer
/// notifies synchronously while it holds the store's write lock, so every watcher sees events
/// in index order. Delivery is a non-blocking channel write and the watcher's signal, if it has one.
/// </summary>
internal sealed class WatcherHub
{
    private readonly object _gate = new();
    private readonly WatchPathNode _root = new(string.Empty, null);

    // Notify's matches, used under the lock and kept from write to write: a write with 10,000 watchers grew a new list
    // through fifteen arrays.
    private readonly List<Watcher> _matched = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Register(Watcher watcher)
    {
        lock (_gate)
        {
            var node = _root;
            foreach (var component in StorePath.Components(watcher.Path))
            {
                if (!node.Children.TryGetValue(component, out var child))
                {
                    child = new WatchPathNode(component, node);
                    node.Children.Add(component, child);
                }

                node = child;
            }

            watcher.PathNode = node;
            watcher.Registration = node.Watchers.AddLast(watcher);
            _count++;
        }
    }

    public void Remove(Watcher watcher)
    {
        // Unregistered by the write that delivered its event (every one-event watch ends so): taking the lock would
        // wait out that write's delivery to all the key's other watchers, while their answers are already going out.
        if (watcher.Registration is null)
        {
            return;
        }

        lock (_gate)
        {
            Unregister(watcher);
        }
    }

    /// <summary>Drops every watcher and completes its channel (the tree they watched was replaced).</summary>
    public void RemoveAll()
    {
        lock (_gate)
        {
            var all = new List<Watcher>();
            CollectBeneath(_root, all, includeSelf: true);
            foreach (var watcher in all)
            {
                Unregister(watcher);
            }
        }
    }

    /// <summary>
    /// Delivers <paramref name="e"/> to every watcher it matches: watchers on its key, recursive
    /// watchers on an ancestor (unless a component in between is hidden), and, for the removal of
    /// a directory, every watcher on a path inside it.
    /// </summary>
    public void Notify(EtcdEvent e)
    {
        // Registration happens under the store's read lock and notification under its write
        // lock, so no watcher can appear meanwhile: with none registered there is nothing to do.
        if (Count == 0)
        {
            return;
        }

        var key = e.Node!.Key!;
        var index = EventHistory.IndexOf(e);
        var components = StorePath.Components(key);
        var lastHidden = Array.FindLastIndex(components, StorePath.IsHiddenName);
        var matched = _matched;
        lock (_gate)
        {
            try
            {
                var node = _root;
                for (var depth = 0; ; depth++)
                {
                    var isKey = depth == components.Length;
                    foreach (var watcher in node.Watchers)
                    {
                        var visible = isKey || (watcher.Recursive && lastHidden < depth);
                        if (visible && index >= watcher.SinceIndex)
                        {
                            matched.Add(watcher);
                        }
                    }

                    if (isKey)
                    {
                        if (EventHistory.IsDirectoryRemoval(e))
                        {
                            CollectBeneath(node, matched, includeSelf: false, minIndex: index);
                        }

                        break;
                    }

                    if (!node.Children.TryGetValue(components[depth], out var child))
                    {
                        break;
                    }

                    node = child;
                }

                foreach (var watcher in matched)
                {
                    var delivered = watcher.TryDeliver(e);
                    if (!delivered || !watcher.Stream)
                    {
                        Unregister(watcher);
                    }
                }
            }
            finally
            {
                matched.Clear();
            }
        }
    }

    private void CollectBeneath(WatchPathNode node, List<Watcher> into, bool includeSelf, long minIndex = long.MaxValue)
    {
        if (includeSelf)
        {
            foreach (var watcher in node.Watchers)
            {
                if (minIndex >= watcher.SinceIndex)
                {
                    into.Add(watcher);
                }
            }
        }

        foreach (var child in node.Children.Values)
        {
            CollectBeneath(child, into, includeSelf: true, minIndex);
        }
    }

    private void Unregister(Watcher watcher)
    {
        if (watcher.Registration is { } registration)
        {
            var node = watcher.PathNode!;
            node.Watchers.Remove(registration);
            watcher.Registration = null;
            watcher.PathNode = null;
            _count--;
            PruneFrom(node);
        }

        watcher.Complete();
    }

    private static void PruneFrom(WatchPathNode node)
    {
        while (node.Parent is { } parent && node.IsUnused)
        {
            parent.Children.Remove(node.Name);
            node = parent;
        }
    }
}
