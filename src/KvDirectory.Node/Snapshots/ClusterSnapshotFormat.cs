using KvDirectory.Node.Membership;
using KvDirectory.Store;
using KvDirectory.Wire;

namespace KvDirectory.Node.Snapshots;

/// <summary>
/// The data of a Raft snapshot: a magic, the member list (i32 big-endian length, then <see cref="ClusterStateCodec"/>), then the store's
/// own snapshot. A snapshot without the header (one seeded from a backup by <c>--restore-from</c>) is the store alone; its members come from the flags.
/// </summary>
public static class ClusterSnapshotFormat
{
    private static ReadOnlySpan<byte> Magic => [0xFF, (byte)'K', (byte)'V', (byte)'M'];

    public static byte[] Write(ClusterState membership, ReadOnlySpan<byte> store)
    {
        var members = ClusterStateCodec.Encode(membership);
        var bytes = new byte[Magic.Length + 4 + members.Length + store.Length];
        var writer = new WireWriter(bytes);
        WriteHeader(ref writer, members);
        writer.Bytes(store);
        return bytes;
    }

    /// <summary>
    /// The same bytes with the store's written straight after the header: the snapshot (tens of MB for a million keys) is
    /// assembled once, not written and then copied behind the header.
    /// </summary>
    public static byte[] Write(ClusterState membership, TreeCapture tree)
    {
        using var buffer = new SegmentedBufferWriter(SegmentedBufferWriter.SegmentSize);
        var writer = new WireWriter(buffer);
        WriteHeader(ref writer, ClusterStateCodec.Encode(membership));
        writer.Flush();
        tree.WriteTo(buffer);
        return buffer.ToArray();
    }

    private static void WriteHeader(ref WireWriter writer, ReadOnlySpan<byte> members)
    {
        writer.Bytes(Magic);
        writer.Chunk(members, LengthPrefix.Int32BigEndian);
    }

    /// <summary>Splits snapshot data into the member list (null when it has none) and the store's bytes.</summary>
    /// <exception cref="WireFormatException">The header is there but damaged.</exception>
    public static (ClusterState? Membership, ReadOnlyMemory<byte> Store) Read(ReadOnlyMemory<byte> data, ulong localMemberId)
    {
        if (!data.Span.StartsWith(Magic))
        {
            return (null, data);
        }

        var reader = new WireReader(data.Span[Magic.Length..]);
        var membership = ClusterStateCodec.Decode(reader.Chunk(LengthPrefix.Int32BigEndian), localMemberId);
        return (membership, data[(Magic.Length + reader.Position)..]);
    }
}
