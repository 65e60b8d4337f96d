using System.Buffers.Binary;
using System.Security.Cryptography;

namespace KvDirectory.Protocol;

/// <summary>
/// The backup file format (what <c>GET /v2/admin/snapshot</c> streams and <c>--restore-from</c> reads): a magic, the etcd index the store was at, the store snapshot, and its SHA-256,
/// so a truncated or damaged backup is refused at restore instead of starting a node with half a tree.
/// </summary>
public static class BackupFile
{
    private static ReadOnlySpan<byte> Magic => "KVDBKP01"u8;

    private const int HeaderSize = 8 + 8 + 8;
    private const int HashSize = 32;

    public static async Task WriteAsync(Stream destination, long etcdIndex, ReadOnlyMemory<byte> storeSnapshot, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(8), etcdIndex);
        BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(16), storeSnapshot.Length);
        await destination.WriteAsync(header, cancellationToken);
        await destination.WriteAsync(storeSnapshot, cancellationToken);
        await destination.WriteAsync(SHA256.HashData(storeSnapshot.Span), cancellationToken);
    }

    public static long Length(int snapshotLength) => HeaderSize + snapshotLength + HashSize;

    /// <summary>Reads and verifies a backup; throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static (long EtcdIndex, byte[] StoreSnapshot) Read(Stream source)
    {
        var header = new byte[HeaderSize];
        source.ReadExactly(header);
        if (!header.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a KvDirectory backup file (bad magic)");
        }

        var index = BinaryPrimitives.ReadInt64BigEndian(header.AsSpan(8));
        var length = BinaryPrimitives.ReadInt64BigEndian(header.AsSpan(16));
        if (length is < 0 or > int.MaxValue)
        {
            throw new InvalidDataException($"backup file declares an impossible snapshot length {length}");
        }

        var data = new byte[length];
        var hash = new byte[HashSize];
        try
        {
            source.ReadExactly(data);
            source.ReadExactly(hash);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("backup file is truncated");
        }

        if (!SHA256.HashData(data).AsSpan().SequenceEqual(hash))
        {
            throw new InvalidDataException("backup file is damaged (checksum mismatch)");
        }

        return (index, data);
    }
}
