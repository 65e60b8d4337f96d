using KvDirectory.Protocol;

namespace KvDirectory.Store;

public sealed partial class V2Store
{
    /// <summary>etcd treats expiration times before this as "no TTL" (a zero Go time means permanent).</summary>
    private static readonly DateTimeOffset MinExpireTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public EtcdEvent Set(string path, bool dir, string value, DateTimeOffset? expireTime, bool refresh)
    {
        using var write = BeginWrite(StoreWrite.Set);
        path = StorePath.Normalize(path);
        if (refresh)
        {
            // A refresh re-creates the key with its current value and only a new TTL.
            value = Lookup(path).Value;
        }

        var e = CreateNode(path, dir, value, unique: false, replace: true, expireTime, EtcdActions.Set);
        return write.Succeeded(Commit(e, refresh));
    }

    public EtcdEvent Create(string path, bool dir, string value, bool unique, DateTimeOffset? expireTime)
    {
        using var write = BeginWrite(StoreWrite.Create);
        return write.Succeeded(Commit(CreateNode(StorePath.Normalize(path), dir, value, unique, replace: false, expireTime, EtcdActions.Create), refresh: false));
    }

    public EtcdEvent Update(string path, string value, DateTimeOffset? expireTime, bool refresh)
    {
        using var write = BeginWrite(StoreWrite.Update);
        path = StorePath.Normalize(path);
        ThrowIfRoot(path);
        var node = Lookup(path);
        value ??= string.Empty;
        if (node.IsDir && value.Length != 0)
        {
            throw Error(EtcdErrorCode.NotFile, path);
        }

        if (refresh)
        {
            value = node.Value;
        }

        return write.Succeeded(ChangeInPlace(EtcdActions.Update, node, value, expireTime, refresh));
    }

    public EtcdEvent CompareAndSwap(string path, string prevValue, long prevIndex, string value, DateTimeOffset? expireTime, bool refresh)
    {
        using var write = BeginWrite(StoreWrite.CompareAndSwap);
        path = StorePath.Normalize(path);
        ThrowIfRoot(path);
        var node = Lookup(path);
        if (node.IsDir)
        {
            throw Error(EtcdErrorCode.NotFile, path);
        }

        ThrowIfCompareFails(node, prevValue, prevIndex);
        if (refresh)
        {
            value = node.Value;
        }

        return write.Succeeded(ChangeInPlace(EtcdActions.CompareAndSwap, node, value ?? string.Empty, expireTime, refresh));
    }

    /// <summary>
    /// The shared tail of update and compare-and-swap: the node keeps its identity (createdIndex), takes the new
    /// value and TTL, and the event shows it at the next index. Like etcd, a directory only changes its TTL:
    /// its own modifiedIndex stays although the event carries the new one.
    /// </summary>
    private EtcdEvent ChangeInPlace(string action, TreeNode node, string value, DateTimeOffset? expireTime, bool refresh)
    {
        var next = _currentIndex + 1;
        var now = Now;
        var prevNode = NodeRendering.Render(node, false, false, now);
        if (!node.IsDir)
        {
            node.SetValue(value, next, _capture);
        }

        UpdateExpiration(node, expireTime);
        node.MarkChanged(next, _capture);
        var (expiration, ttl) = NodeRendering.ExpirationAndTtl(node, now);
        var e = new EtcdEvent
        {
            Action = action,
            Node = new EtcdNode
            {
                Key = node.Path,
                Dir = node.IsDir,
                Value = node.IsDir ? null : node.Value,
                Expiration = expiration,
                Ttl = ttl,
                ModifiedIndex = next,
                CreatedIndex = node.CreatedIndex,
            },
            PrevNode = prevNode,
            EtcdIndex = next,
        };
        return Commit(e, refresh);
    }

    /// <summary>
    /// Creates a file or directory, making missing parent directories on the way (they get the
    /// new index too). With <paramref name="replace"/> an existing file is replaced by a new node
    /// (a new createdIndex); an existing directory is never replaced.
    /// </summary>
    private EtcdEvent CreateNode(string path, bool dir, string value, bool unique, bool replace, DateTimeOffset? expireTime, string action)
    {
        var next = _currentIndex + 1;
        if (unique)
        {
            path = StorePath.Normalize(StorePath.Join(path, next.ToString("D20", System.Globalization.CultureInfo.InvariantCulture)));
        }

        ThrowIfRoot(path);
        if (expireTime < MinExpireTime)
        {
            expireTime = null;
        }

        var components = StorePath.Components(path);
        var name = components[^1];
        var parent = _root;
        var existingDepth = 0;
        for (; existingDepth < components.Length - 1; existingDepth++)
        {
            if (!parent.Children!.TryGetValue(components[existingDepth], out var child))
            {
                break;
            }

            if (!child.IsDir)
            {
                throw Error(EtcdErrorCode.NotDir, child.Path);
            }

            parent = child;
        }

        var now = Now;
        EtcdNode? prevNode = null;
        if (existingDepth == components.Length - 1 && parent.Children!.TryGetValue(name, out var existing))
        {
            if (!replace)
            {
                throw Error(EtcdErrorCode.NodeExist, path);
            }

            if (existing.IsDir)
            {
                throw Error(EtcdErrorCode.NotFile, path);
            }

            prevNode = NodeRendering.Render(existing, false, false, now);
            Detach(existing);

            // The replaced node's key string, not the request's: the request's dies young, while the node, its event
            // in the history and this string all outlive the young generation, and would cost a copy there.
            path = existing.Path;
        }

        // Nothing can fail from here on, so the store changes only on success.
        for (; existingDepth < components.Length - 1; existingDepth++)
        {
            var missing = TreeNode.NewDir(StorePath.Join(parent.Path, components[existingDepth]), parent, next, null);
            parent.AddChild(missing, _capture);
            parent = missing;
        }

        var node = dir
            ? TreeNode.NewDir(path, parent, next, expireTime)
            : TreeNode.NewFile(path, parent, next, value ?? string.Empty, expireTime);
        parent.AddChild(node, _capture);
        if (!node.IsPermanent)
        {
            _expirations.Push(node);
        }

        node.MarkChanged(next, _capture);
        var (expiration, ttl) = NodeRendering.ExpirationAndTtl(node, now);
        return new EtcdEvent
        {
            Action = action,
            Node = new EtcdNode
            {
                Key = path,
                Dir = dir,
                Value = dir ? null : node.Value,
                Expiration = expiration,
                Ttl = ttl,
                ModifiedIndex = next,
                CreatedIndex = next,
            },
            PrevNode = prevNode,
            EtcdIndex = next,
        };
    }

    private void ThrowIfRoot(string cleanPath)
    {
        if (cleanPath == StorePath.Root)
        {
            throw Error(EtcdErrorCode.RootReadOnly, StorePath.Root);
        }
    }

    /// <summary>etcd's compare-failed cause names only the conditions that failed.</summary>
    private void ThrowIfCompareFails(TreeNode node, string? prevValue, long prevIndex)
    {
        var indexMatches = prevIndex == 0 || node.ModifiedIndex == prevIndex;
        var valueMatches = string.IsNullOrEmpty(prevValue) || node.Value == prevValue;
        if (indexMatches && valueMatches)
        {
            return;
        }

        var cause = (valueMatches, indexMatches) switch
        {
            (false, true) => $"[{prevValue} != {node.Value}]",
            (true, false) => $"[{prevIndex} != {node.ModifiedIndex}]",
            _ => $"[{prevValue} != {node.Value}] [{prevIndex} != {node.ModifiedIndex}]",
        };
        throw Error(EtcdErrorCode.TestFailed, cause);
    }

    /// <summary>No expiration makes the node permanent, as any etcd write without a TTL does.</summary>
    private void UpdateExpiration(TreeNode node, DateTimeOffset? expireTime)
    {
        node.SetExpireTime(expireTime, _capture);
        if (expireTime is null)
        {
            _expirations.Remove(node);
        }
        else
        {
            _expirations.Update(node);
        }
    }

    /// <summary>
    /// Makes the event's index current, records it, and wakes watchers. Refreshes advance the
    /// index and enter history (so the history stays contiguous) but are never delivered.
    /// </summary>
    private EtcdEvent Commit(EtcdEvent e, bool refresh)
    {
        if (refresh)
        {
            e = e with { Refresh = true };
        }

        Interlocked.Exchange(ref _currentIndex, e.EtcdIndex);
        _history.Add(e);
        if (!refresh)
        {
            _watchers.Notify(e);
        }

        return e;
    }
}
