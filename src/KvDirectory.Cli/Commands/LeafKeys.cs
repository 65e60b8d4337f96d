using KvDirectory.Protocol;

namespace KvDirectory.Cli.Commands;

/// <summary>Flattens a (recursive, sorted) listing to its keys with values, in listing order.</summary>
public static class LeafKeys
{
    public static IEnumerable<EtcdNode> Of(EtcdNode? node)
    {
        if (node is null)
        {
            yield break;
        }

        if (!node.Dir)
        {
            yield return node;
            yield break;
        }

        foreach (var child in node.Nodes ?? [])
        {
            foreach (var leaf in Of(child))
            {
                yield return leaf;
            }
        }
    }
}
