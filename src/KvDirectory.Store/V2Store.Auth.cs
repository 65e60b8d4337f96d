using KvDirectory.Protocol;

namespace KvDirectory.Store;

/// <summary>
/// The auth namespace: etcd keeps v2 users, roles and the enabled flag in its v2 store beside the keys (under
/// <c>/2</c>, keys being under <c>/1</c>), so they share the etcd index, the log, snapshots and restarts with the
/// keys, yet no keys request, watch or listing can reach them. Here they are a second tree in the same store. Each
/// write takes one etcd index, as in etcd, and enters the history as a never-delivered event so the history stays
/// contiguous without any watcher seeing a password hash.
/// </summary>
public sealed partial class V2Store
{
    /// <summary>The directories and the flag etcd creates (one index each) before its first auth write.</summary>
    private static readonly string[] AuthDirectories = ["/2", "/2/users", "/2/roles"];
    private const string AuthEnabledPath = "/2/enabled";

    private TreeNode _authRoot = TreeNode.NewDir(StorePath.Root, null, 0, null);

    /// <summary>The last index at which anything in the auth namespace changed: caches of it compare this.</summary>
    public long AuthChangedIndex
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _authRoot.ChangedIndex;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// The whole auth namespace in one consistent read: the enabled flag's value and every user's and role's stored
    /// value by name (null where etcd has not made it yet).
    /// </summary>
    public AuthNamespace ReadAuth()
    {
        _lock.EnterReadLock();
        try
        {
            return new AuthNamespace(
                _authRoot.ChangedIndex,
                FindAuth(AuthEnabledPath) is { IsDir: false } enabled ? enabled.Value : null,
                FilesIn("/2/users"),
                FilesIn("/2/roles"));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private Dictionary<string, string> FilesIn(string directory)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (FindAuth(directory) is { IsDir: true } node)
        {
            foreach (var child in node.Children!)
            {
                if (!child.IsDir)
                {
                    files[child.Name.ToString()] = child.Value;
                }
            }
        }

        return files;
    }

    /// <summary>
    /// etcd's auth write: the namespace's directories and flag are made first if missing, then the resource is created
    /// (<paramref name="prevExist"/> false: 105 when it exists) or replaced (true: 100 when it does not).
    /// </summary>
    private EtcdEvent PutAuth(string resource, string value, bool prevExist)
    {
        using var write = BeginWrite(prevExist ? StoreWrite.Update : StoreWrite.Create);
        EnsureAuthNamespace();
        var path = AuthPath(resource);
        var existing = FindAuth(path);
        if (prevExist && existing is null)
        {
            throw Error(EtcdErrorCode.KeyNotFound, path);
        }

        if (!prevExist && existing is not null)
        {
            throw Error(EtcdErrorCode.NodeExist, path);
        }

        if (existing is { IsDir: true })
        {
            throw Error(EtcdErrorCode.NotFile, path);
        }

        return write.Succeeded(existing is null ? AddAuthNode(path, dir: false, value) : ReplaceAuthValue(existing, value));
    }

    private EtcdEvent DeleteAuth(string resource)
    {
        using var write = BeginWrite(StoreWrite.Delete);
        EnsureAuthNamespace();
        var path = AuthPath(resource);
        var node = FindAuth(path) ?? throw Error(EtcdErrorCode.KeyNotFound, path);
        if (node.IsDir)
        {
            throw Error(EtcdErrorCode.NotFile, path);
        }

        return write.Succeeded(Commit(RemoveNode(node, EtcdActions.Delete), refresh: true));
    }

    private void EnsureAuthNamespace()
    {
        foreach (var directory in AuthDirectories)
        {
            if (FindAuth(directory) is null)
            {
                AddAuthNode(directory, dir: true, string.Empty);
            }
        }

        if (FindAuth(AuthEnabledPath) is null)
        {
            AddAuthNode(AuthEnabledPath, dir: false, "false");
        }
    }

    private EtcdEvent AddAuthNode(string path, bool dir, string value)
    {
        var next = _currentIndex + 1;
        var parent = FindAuth(path[..path.LastIndexOf('/')] is { Length: > 0 } p ? p : StorePath.Root)
            ?? throw new InvalidOperationException($"auth parent of {path} missing");
        var node = dir ? TreeNode.NewDir(path, parent, next, null) : TreeNode.NewFile(path, parent, next, value, null);
        parent.AddChild(node, _capture);
        node.MarkChanged(next, _capture);
        return Commit(
            new EtcdEvent
            {
                Action = EtcdActions.Create,
                Node = new EtcdNode { Key = path, Dir = dir, Value = dir ? null : value, ModifiedIndex = next, CreatedIndex = next },
                EtcdIndex = next,
            },
            refresh: true);
    }

    private EtcdEvent ReplaceAuthValue(TreeNode node, string value)
    {
        var next = _currentIndex + 1;
        var prevNode = NodeRendering.Render(node, false, false, Now);
        node.SetValue(value, next, _capture);
        node.MarkChanged(next, _capture);
        return Commit(
            new EtcdEvent
            {
                Action = EtcdActions.Update,
                Node = new EtcdNode { Key = node.Path, Value = value, ModifiedIndex = next, CreatedIndex = node.CreatedIndex },
                PrevNode = prevNode,
                EtcdIndex = next,
            },
            refresh: true);
    }

    private TreeNode? FindAuth(string cleanPath)
    {
        var node = _authRoot;
        foreach (var component in StorePath.Components(cleanPath))
        {
            if (node.Children is null || !node.Children.TryGetValue(component, out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    /// <summary>etcd's <c>path.Join("/2", resource)</c>: a resource can never climb out of the namespace.</summary>
    private static string AuthPath(string resource) => StorePath.Normalize("/2/" + StorePath.Normalize(resource));
}

/// <summary>The auth namespace as read at <paramref name="ChangedIndex"/>: raw stored values, parsed by the server.</summary>
public sealed record AuthNamespace(
    long ChangedIndex,
    string? Enabled,
    IReadOnlyDictionary<string, string> Users,
    IReadOnlyDictionary<string, string> Roles);
