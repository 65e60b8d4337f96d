using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KvDirectory.Wire;

namespace KvDirectory.Node.Membership;

/// <summary>
/// Member and cluster ids derived the way etcd derives them, so the same flags give the same ids:
/// a member id hashes its sorted peer URLs with the cluster token; the cluster id hashes the sorted member ids.
/// </summary>
public static class MemberId
{
    public static ulong Compute(IEnumerable<string> peerUrls, string clusterToken)
    {
        var sorted = peerUrls.Order(StringComparer.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(string.Concat(sorted) + clusterToken);
        return FirstEightBytes(SHA1.HashData(bytes));
    }

    public static ulong ComputeClusterId(IEnumerable<ulong> memberIds)
    {
        var sorted = memberIds.Order().ToArray();
        var bytes = new byte[sorted.Length * 8];
        var writer = new WireWriter(bytes);
        foreach (var id in sorted)
        {
            writer.UInt64BigEndian(id);
        }

        return FirstEightBytes(SHA1.HashData(bytes));
    }

    /// <summary>etcd takes an id as the first eight bytes of the hash, big-endian.</summary>
    private static ulong FirstEightBytes(ReadOnlySpan<byte> hash) => new WireReader(hash).UInt64BigEndian();

    /// <summary>etcd prints ids as lowercase hex without leading zeros.</summary>
    public static string Format(ulong id) => id.ToString("x", CultureInfo.InvariantCulture);
}
