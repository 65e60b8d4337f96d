using KvDirectory.Protocol;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>Whether members hold identical stores: the same store index and the same tree hash at it.</summary>
public static class DigestAgreement
{
    public static bool AllEqual(IReadOnlyCollection<StoreDigest> digests)
    {
        ArgumentNullException.ThrowIfNull(digests);
        return digests.Count > 0 && digests.All(d => d.Index == digests.First().Index && d.Sha256 == digests.First().Sha256);
    }

    public static string Describe(IEnumerable<(string Member, StoreDigest Digest)> digests) =>
        string.Join(", ", digests.Select(d => $"{d.Member}: index {d.Digest.Index} sha256 {d.Digest.Sha256}"));
}
