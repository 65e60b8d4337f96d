using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

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
        return BinaryPrimitives.ReadUInt64BigEndian(SHA1.HashData(bytes));
    }

    public static ulong ComputeClusterId(IEnumerable<ulong> memberIds)
    {
        var sorted = memberIds.Order().ToArray();
        var bytes = new byte[sorted.Length * 8];
        for (var i = 0; i < sorted.Length; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(i * 8), sorted[i]);
        }

        return BinaryPrimitives.ReadUInt64BigEndian(SHA1.HashData(bytes));
    }

    /// <summary>etcd prints ids as lowercase hex without leading zeros.</summary>
    public static string Format(ulong id) => id.ToString("x", CultureInfo.InvariantCulture);
}
