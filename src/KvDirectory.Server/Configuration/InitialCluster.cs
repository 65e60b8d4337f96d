using KvDirectory.Node.Membership;

namespace KvDirectory.Server.Configuration;

/// <summary>
/// Reads <c>--initial-cluster</c> ("name=peerURL,…") into the starting membership, with ids derived as etcd derives them.
/// Without the flag the node is a cluster of one under its own name and advertised peer URLs.
/// </summary>
public static class InitialCluster
{
    public static ClusterState Build(ServerOptions options)
    {
        var peersByName = Parse(options.InitialCluster);
        if (peersByName.Count == 0)
        {
            peersByName[options.Name] = [.. options.AdvertisePeerUrlList];
        }

        if (!peersByName.ContainsKey(options.Name))
        {
            throw new InvalidOperationException(
                $"--initial-cluster has no entry for this member's --name '{options.Name}'; add '{options.Name}=<peer url>' to it");
        }

        var members = peersByName
            .Select(pair => new ClusterMember(
                MemberId.Compute(pair.Value, options.InitialClusterToken),
                pair.Key,
                pair.Value,
                pair.Key == options.Name ? options.AdvertiseClientUrlList : []))
            .ToArray();
        var local = members.Single(m => m.Name == options.Name);
        return new ClusterState(MemberId.ComputeClusterId(members.Select(m => m.Id)), local.Id, members);
    }

    private static Dictionary<string, List<string>> Parse(string initialCluster)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var entry in initialCluster.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new InvalidOperationException($"--initial-cluster entry '{entry}' is not of the form name=peerURL");
            }

            var name = entry[..equals];
            if (!result.TryGetValue(name, out var urls))
            {
                urls = [];
                result[name] = urls;
            }

            urls.AddRange(UrlList.Parse(entry[(equals + 1)..]));
        }

        return result;
    }
}
