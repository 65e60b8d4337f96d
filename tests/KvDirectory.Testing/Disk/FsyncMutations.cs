using KvDirectory.Storage.FileSystem;

namespace KvDirectory.Testing.Disk;

/// <summary>
/// Broken builds of the storage's file I/O, as seam decorators: each drops one kind of durability step. The power-cut
/// checks (the WAL's, and the node simulation's) must catch every one of them, or they prove nothing.
/// </summary>
public static class FsyncMutations
{
    /// <summary>File fsyncs do nothing: appends are acknowledged with their bytes still in the page cache.</summary>
    public static IStorageFileSystem SkipFileFsync(IStorageFileSystem disk) => new Decorated(disk, _ => true, skipDirectorySync: false);

    /// <summary>The write-ahead log's file fsyncs do nothing (the snapshot store's still work): a node acknowledges writes it can lose.</summary>
    public static IStorageFileSystem SkipWalFsync(IStorageFileSystem disk) =>
        new Decorated(disk, path => path.Contains($"{Path.DirectorySeparatorChar}wal{Path.DirectorySeparatorChar}", StringComparison.Ordinal), skipDirectorySync: false);

    /// <summary>Directory fsyncs do nothing: a new segment's name may vanish with everything appended to it.</summary>
    public static IStorageFileSystem SkipDirectorySync(IStorageFileSystem disk) => new Decorated(disk, _ => false, skipDirectorySync: true);

    private sealed class Decorated(IStorageFileSystem inner, Func<string, bool> skipFileFsync, bool skipDirectorySync) : IStorageFileSystem
    {
        public void CreateDirectory(string directory) => inner.CreateDirectory(directory);

        public bool DirectoryExists(string directory) => inner.DirectoryExists(directory);

        public IReadOnlyList<string> ListFiles(string directory, string extension) => inner.ListFiles(directory, extension);

        public IStorageFile Open(string path, bool createNew) =>
            skipFileFsync(path) ? new NoFsyncFile(inner.Open(path, createNew)) : inner.Open(path, createNew);

        public void Rename(string from, string to) => inner.Rename(from, to);

        public void Delete(string path) => inner.Delete(path);

        public void SyncDirectory(string directory)
        {
            if (!skipDirectorySync) inner.SyncDirectory(directory);
        }

        public IDisposable Lock(string path) => inner.Lock(path);
    }

    private sealed class NoFsyncFile(IStorageFile inner) : IStorageFile
    {
        public long Length => inner.Length;

        public int Read(Span<byte> buffer, long offset) => inner.Read(buffer, offset);

        public void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset) => inner.Write(buffers, offset);

        public void SetLength(long length) => inner.SetLength(length);

        public void Flush()
        {
        }

        public void Dispose() => inner.Dispose();
    }
}
