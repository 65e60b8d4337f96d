using KvDirectory.Protocol;

namespace KvDirectory.Store;

public sealed partial class V2Store
{
    public EtcdEvent Delete(string path, bool dir, bool recursive)
    {
        using var write = BeginWrite(StoreWrite.Delete);
        path = StorePath.Normalize(path);
        ThrowIfRoot(path);
        dir |= recursive;
        var node = Lookup(path);
        if (node.IsDir)
        {
            if (!dir)
            {
                throw Error(EtcdErrorCode.NotFile, path);
            }

            if (node.Children!.Count != 0 && !recursive)
            {
                throw Error(EtcdErrorCode.DirNotEmpty, path);
            }
        }

        return write.Succeeded(Commit(RemoveNode(node, EtcdActions.Delete), refresh: false));
    }

    public EtcdEvent CompareAndDelete(string path, string prevValue, long prevIndex)
    {
        using var write = BeginWrite(StoreWrite.CompareAndDelete);
        path = StorePath.Normalize(path);
        var node = Lookup(path);
        if (node.IsDir)
        {
            // etcd names the directory, except the root, whose cause comes out empty.
            throw Error(EtcdErrorCode.NotFile, path == StorePath.Root ? null : path);
        }

        ThrowIfCompareFails(node, prevValue, prevIndex);
        return write.Succeeded(Commit(RemoveNode(node, EtcdActions.CompareAndDelete), refresh: false));
    }

    /// <summary>
    /// Expires, one event and one index each, every node whose expiration is at or before
    /// <paramref name="now"/>, earliest first (ties by path). Only the heap's expired top is touched.
    /// </summary>
    public void DeleteExpiredKeys(DateTimeOffset now)
    {
        _lock.EnterWriteLock();
        try
        {
            ReleaseWrittenCapture();
            while (_expirations.Peek() is { } node && node.ExpireUtcTicks <= now.UtcTicks)
            {
                Commit(RemoveNode(node, EtcdActions.Expire), refresh: false);
                _counters.CountExpire();
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Takes a node (and everything beneath it) out of the tree and builds its removal event.</summary>
    private EtcdEvent RemoveNode(TreeNode node, string action)
    {
        var next = _currentIndex + 1;
        var prevNode = NodeRendering.Render(node, false, false, Now);
        var parent = node.Parent!;
        Detach(node);
        parent.MarkChanged(next, _capture);
        return new EtcdEvent
        {
            Action = action,
            Node = new EtcdNode
            {
                Key = node.Path,
                Dir = node.IsDir,
                ModifiedIndex = next,
                CreatedIndex = node.CreatedIndex,
            },
            PrevNode = prevNode,
            EtcdIndex = next,
        };
    }

    /// <summary>Unlinks a node from its parent and drops it and its descendants from the expiration heap.</summary>
    private void Detach(TreeNode node)
    {
        node.Parent?.RemoveChild(node, _capture);
        ForgetExpirations(node);
    }

    private void ForgetExpirations(TreeNode node)
    {
        _expirations.Remove(node);
        if (node.Children is { } children)
        {
            foreach (var child in children)
            {
                ForgetExpirations(child);
            }
        }
    }
}
