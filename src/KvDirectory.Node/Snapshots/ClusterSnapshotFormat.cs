using System.Buffers.Binary;
using KvDirectory.Node.Membership;

namespace KvDirectory.Node.Snapshots;

/// <summary>
/// The data of a Raft snapshot: the member list, then the store's own snapshot. A snapshot without the header
/// (one seeded from a backup by <c>--restore-from</c>) is the store alone; its members come from the flags.
/// </summary>
public static class ClusterSnapshotFormat
{
    private static readonly byte[] Magic = [0xFF, (byte)'K', (byte)'V', (byte)'M'];

    public static byte[] Write(ClusterState membership, ReadOnlySpan<byte> store)
    {
        var members = ClusterStateCodec.Encode(membership);
        var bytes = new byte[Magic.Length + 4 + members.Length + store.Length];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(Magic.Length), members.Length);
        members.CopyTo(bytes, Magic.Length + 4);
        store.CopyTo(bytes.AsSpan(Magic.Length + 4 + members.Length));
        return bytes;
    }

    /// <summary>Splits snapshot data into the member list (null when it has none) and the store's bytes.</summary>
    /// <exception cref="FormatException">The header is there but damaged.</exception>
    public static (ClusterState? Membership, ReadOnlyMemory<byte> Store) Read(ReadOnlyMemory<byte> data, ulong localMemberId)
    {
        var span = data.Span;
        if (span.Length < Magic.Length || !span[..Magic.Length].SequenceEqual(Magic))
        {
            return (null, data);
        }

        if (span.Length < Magic.Length + 4)
        {
            throw new FormatException("snapshot member list header is truncated");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(span[Magic.Length..]);
        var start = Magic.Length + 4;
        if (length < 0 || length > span.Length - start)
        {
            throw new FormatException("snapshot member list length is out of range");
        }

        var membership = ClusterStateCodec.Decode(span.Slice(start, length), localMemberId);
        return (membership, data[(start + length)..]);
    }
}
