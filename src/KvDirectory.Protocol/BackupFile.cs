using System.Security.Cryptography;
using KvDirectory.Wire;

namespace KvDirectory.Protocol;

/// <summary>
/// The backup file format (what <c>GET /v2/admin/snapshot</c> streams and <c>--restore-from</c> reads): a magic, the etcd index the store was at
/// (i64 big-endian), the store snapshot's length (i64 big-endian), the snapshot, and its SHA-256, so a truncated or damaged backup is refused at
/// restore instead of starting a node with half a tree.
/// </summary>
public static class BackupFile
{
    private static ReadOnlySpan<byte> Magic => "KVDBKP01"u8;

    private const int HeaderSize = 8 + 8 + 8;
    private const int HashSize = 32;

    public static async Task WriteAsync(Stream destination, long etcdIndex, ReadOnlyMemory<byte> storeSnapshot, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        var writer = new WireWriter(header);
        writer.Bytes(Magic);
        writer.Int64BigEndian(etcdIndex);
        writer.Int64BigEndian(storeSnapshot.Length);
        await destination.WriteAsync(header, cancellationToken);
        await destination.WriteAsync(storeSnapshot, cancellationToken);
        await destination.WriteAsync(SHA256.HashData(storeSnapshot.Span), cancellationToken);
    }

    public static long Length(int snapshotLength) => HeaderSize + snapshotLength + HashSize;

    /// <summary>Reads and verifies a backup.</summary>
    /// <exception cref="WireFormatException">Not a backup, truncated or damaged (the message says which).</exception>
    public static (long EtcdIndex, byte[] StoreSnapshot) Read(Stream source)
    {
        var header = new byte[HeaderSize];
        ReadExactly(source, header);
        var reader = new WireReader(header);
        if (!reader.Bytes(Magic.Length).SequenceEqual(Magic))
        {
            throw new WireFormatException("not a KvDirectory backup file (bad magic)");
        }

        var index = reader.Int64BigEndian();
        var length = reader.Int64BigEndian();
        if (length is < 0 or > int.MaxValue)
        {
            throw new WireFormatException($"backup file declares an impossible snapshot length {length}");
        }

        if (source.CanSeek && source.Length - source.Position < length + HashSize)
        {
            // Checked before allocating: a damaged length must not make us reserve gigabytes for a small file.
            throw new WireFormatException("backup file is truncated");
        }

        var data = new byte[length];
        var hash = new byte[HashSize];
        ReadExactly(source, data);
        ReadExactly(source, hash);
        if (!SHA256.HashData(data).AsSpan().SequenceEqual(hash))
        {
            throw new WireFormatException("backup file is damaged (checksum mismatch)");
        }

        return (index, data);
    }

    private static void ReadExactly(Stream source, byte[] buffer)
    {
        try
        {
            source.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw new WireFormatException("backup file is truncated");
        }
    }
}
