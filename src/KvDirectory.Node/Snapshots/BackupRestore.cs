using KvDirectory.Protocol;
using KvDirectory.Raft;
using KvDirectory.Storage;

namespace KvDirectory.Node.Snapshots;

/// <summary>
/// Seeds an empty data dir from a backup: the store snapshot becomes the data dir's first Raft snapshot,
/// with this member as the only voter (a restore starts a new cluster, as etcd's snapshot restore does).
/// The node then starts normally from it.
/// </summary>
public static class BackupRestore
{
    public static long PrepareDataDir(string backupPath, string dataDir, ulong memberId)
    {
        if (Directory.Exists(Path.Combine(dataDir, "member")))
        {
            throw new InvalidOperationException(
                $"--restore-from was given but {dataDir} already holds a member's data; point --data-dir at an empty directory, or drop the flag to keep the data");
        }

        long etcdIndex;
        byte[] snapshot;
        using (var file = File.OpenRead(backupPath))
        {
            (etcdIndex, snapshot) = BackupFile.Read(file);
        }

        // Check the payload loads before anything is written: a bad backup must not leave a half-made data dir.
        new Store.V2Store(new Store.StoreOptions(), TimeProvider.System).RestoreSnapshot(snapshot);

        using var store = SnapshotStore.Open(DurableStorageOptions.SnapshotDirectory(dataDir));
        using var data = new MemoryStream(snapshot, writable: false);
        store.Save(new SnapshotMetadata(1, 1, new ConfState(memberId)), data);
        return etcdIndex;
    }
}
