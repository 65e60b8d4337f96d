using System.Buffers.Binary;
using KvDirectory.Raft;

namespace KvDirectory.Storage;

/// <summary>
/// One snapshot file: a header, then the data. The header holds a magic, the snapshot's log position and membership,
/// when it was saved, the data's length and CRC-32C, and ends with a CRC-32C of its own bytes; all little-endian.
/// A file is only ever given its final name once written and fsynced, so a damaged one is a disk fault, never a
/// crash mid-save: both checksums catch it.
/// </summary>
internal static class SnapshotFileFormat
{
    private static ReadOnlySpan<byte> Magic => "KVSNAP01"u8;

    /// <summary>magic, index, term, savedAt ticks, data length, data crc, voter count, learner count; the ids follow.</summary>
    private const int FixedLength = 8 + 8 + 8 + 8 + 8 + 4 + 4 + 4;

    /// <summary>The largest header a file may claim (some 8,000 members): a larger count is damage, not a cluster.</summary>
    private const int MaxHeaderLength = 64 * 1024;

    /// <summary>Enough of a file to read any header from (a shorter file is read whole).</summary>
    public const int MaxHeaderReadLength = MaxHeaderLength;

    public static int HeaderLength(SnapshotMetadata metadata) =>
        FixedLength + (8 * (metadata.ConfState.Voters.Count + metadata.ConfState.Learners.Count)) + 4;

    public static byte[] EncodeHeader(SnapshotInfo info)
    {
        var voters = info.Metadata.ConfState.Voters;
        var learners = info.Metadata.ConfState.Learners;
        var header = new byte[HeaderLength(info.Metadata)];
        var span = header.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], info.Index);
        BinaryPrimitives.WriteUInt64LittleEndian(span[16..], info.Term);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], info.SavedAtUtc.Ticks);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], info.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], info.Checksum);
        BinaryPrimitives.WriteInt32LittleEndian(span[44..], voters.Count);
        BinaryPrimitives.WriteInt32LittleEndian(span[48..], learners.Count);
        var offset = FixedLength;
        foreach (var id in voters.Concat(learners))
        {
            BinaryPrimitives.WriteUInt64LittleEndian(span[offset..], id);
            offset += 8;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], Crc32C.Compute(span[..offset]));
        return header;
    }

    /// <summary>The snapshot a file's first bytes describe, and where its data starts; null with the reason when damaged.</summary>
    public static (SnapshotInfo? Info, int DataOffset, string? Problem) DecodeHeader(ReadOnlySpan<byte> file)
    {
        if (file.Length < FixedLength + 4 || !file[..8].SequenceEqual(Magic))
        {
            return (null, 0, "not a snapshot file (bad magic or too short)");
        }

        var voterCount = BinaryPrimitives.ReadInt32LittleEndian(file[44..]);
        var learnerCount = BinaryPrimitives.ReadInt32LittleEndian(file[48..]);
        var idsLength = 8L * ((long)voterCount + learnerCount);
        if (voterCount < 0 || learnerCount < 0 || FixedLength + idsLength + 4 > Math.Min(file.Length, MaxHeaderLength))
        {
            return (null, 0, "damaged header (member counts out of range)");
        }

        var end = FixedLength + (int)idsLength;
        if (Crc32C.Compute(file[..end]) != BinaryPrimitives.ReadUInt32LittleEndian(file[end..]))
        {
            return (null, 0, "damaged header (crc32c mismatch)");
        }

        var ids = new ulong[voterCount + learnerCount];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = BinaryPrimitives.ReadUInt64LittleEndian(file[(FixedLength + (8 * i))..]);
        }

        var metadata = new SnapshotMetadata(
            BinaryPrimitives.ReadUInt64LittleEndian(file[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(file[16..]),
            new ConfState(ids[..voterCount], ids[voterCount..]));
        var info = new SnapshotInfo(
            metadata,
            BinaryPrimitives.ReadInt64LittleEndian(file[32..]),
            BinaryPrimitives.ReadUInt32LittleEndian(file[40..]),
            new DateTime(BinaryPrimitives.ReadInt64LittleEndian(file[24..]), DateTimeKind.Utc));
        return (info, end + 4, null);
    }
}
