namespace KvDirectory.Storage;

/// <summary>The log position of a snapshot as recorded in the WAL.</summary>
public readonly record struct WalSnapshotMarker(ulong Index, ulong Term)
{
    public static WalSnapshotMarker None => default;
}
