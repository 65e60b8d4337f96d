namespace KvDirectory.Cluster.Tests;

/// <summary>Where one record sits in a WAL segment file.</summary>
public sealed record WalRecordLocation(long Offset, byte Type, int PayloadLength, int TotalSize)
{
    public const byte EntryType = 4;

    public long End => Offset + TotalSize;
}
