using KvDirectory.Benchmarks.Single;

namespace KvDirectory.Benchmarks.Cluster;

/// <summary>
/// The data dirs of a stopped, preloaded three-member cluster and the URLs its members had: every measured cluster
/// starts on a copy of it at the same URLs (a member's identity and the member list are in its data dir, and its peers
/// dial the peer URLs stored there), so no window pays for preloading and warm and cold start from the same data.
/// </summary>
public sealed record ClusterSeed(string Root, IReadOnlyList<(Uri Client, string Peer)> Urls)
{
    public void Delete() => SingleNode.DeleteDirectory(Root);

    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
