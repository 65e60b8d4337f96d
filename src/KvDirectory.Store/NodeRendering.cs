using KvDirectory.Protocol;

namespace KvDirectory.Store;

/// <summary>Builds the wire view of internal nodes: fresh records, never the mutable nodes themselves.</summary>
internal static class NodeRendering
{
    /// <summary>A node as it appears in a listing or as an event's prevNode (etcd's <c>Repr</c>).</summary>
    public static EtcdNode Render(TreeNode node, bool recursive, bool sorted, DateTimeOffset now)
    {
        var (expiration, ttl) = ExpirationAndTtl(node, now);
        if (!node.IsDir)
        {
            return new EtcdNode
            {
                Key = node.Path,
                Value = node.Value,
                Expiration = expiration,
                Ttl = ttl,
                ModifiedIndex = node.ModifiedIndex,
                CreatedIndex = node.CreatedIndex,
            };
        }

        return new EtcdNode
        {
            Key = node.Path,
            Dir = true,
            Expiration = expiration,
            Ttl = ttl,
            Nodes = recursive ? ListChildren(node, recursive, sorted, now) : null,
            ModifiedIndex = node.ModifiedIndex,
            CreatedIndex = node.CreatedIndex,
        };
    }

    /// <summary>
    /// A node as a GET answers it: a directory always lists its direct children (deeper levels
    /// only when recursive), and the root shows neither key nor indexes.
    /// </summary>
    public static EtcdNode RenderForGet(TreeNode node, bool recursive, bool sorted, DateTimeOffset now)
    {
        var rendered = Render(node, recursive: false, sorted, now);
        if (node.IsDir)
        {
            rendered = rendered with { Nodes = ListChildren(node, recursive, sorted, now) };
        }

        if (node.Parent is null)
        {
            rendered = rendered with { Key = null, ModifiedIndex = 0, CreatedIndex = 0 };
        }

        return rendered;
    }

    /// <summary>
    /// etcd's rule: expiration in UTC and the remaining seconds rounded up, so a key shows
    /// ttl 1 until its last second is over. Permanent nodes have neither.
    /// </summary>
    public static (DateTimeOffset? Expiration, long Ttl) ExpirationAndTtl(TreeNode node, DateTimeOffset now)
    {
        if (node.ExpireTime is not { } expireTime)
        {
            return (null, 0);
        }

        var remaining = expireTime.UtcTicks - now.UtcTicks;
        var ttl = remaining / TimeSpan.TicksPerSecond;
        if (remaining % TimeSpan.TicksPerSecond > 0)
        {
            ttl++;
        }

        return (expireTime.ToUniversalTime(), ttl);
    }

    /// <summary>Visible children, or null when there are none (an empty directory has no <c>nodes</c>).</summary>
    private static List<EtcdNode>? ListChildren(TreeNode dir, bool recursive, bool sorted, DateTimeOffset now)
    {
        List<EtcdNode>? nodes = null;
        foreach (var child in dir.Children!)
        {
            if (child.IsHidden)
            {
                continue;
            }

            (nodes ??= new List<EtcdNode>(dir.Children.Count)).Add(Render(child, recursive, sorted, now));
        }

        if (sorted)
        {
            nodes?.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        }

        return nodes;
    }
}
