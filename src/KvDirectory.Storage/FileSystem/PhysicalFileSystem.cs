using Microsoft.Win32.SafeHandles;

namespace KvDirectory.Storage.FileSystem;

/// <summary>The real disk: the calls the write-ahead log and the snapshot store have always made.</summary>
public sealed class PhysicalFileSystem : IStorageFileSystem
{
    public static PhysicalFileSystem Instance { get; } = new();

    private PhysicalFileSystem()
    {
    }

    public void CreateDirectory(string directory) => Directory.CreateDirectory(directory);

    public bool DirectoryExists(string directory) => Directory.Exists(directory);

    public IReadOnlyList<string> ListFiles(string directory, string extension) => [.. Directory.EnumerateFiles(directory, "*" + extension)];

    public IStorageFile Open(string path, bool createNew) => new PhysicalFile(createNew
        ? File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite)
        : File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read));

    public void Rename(string from, string to) => File.Move(from, to);

    public void Delete(string path) => File.Delete(path);

    public void SyncDirectory(string directory) => DirectorySync.Flush(directory);

    public IDisposable Lock(string path)
    {
        try
        {
            // An flock on Unix: a second process (or instance) opening it fails.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"{path} is locked by another process or instance", ex);
        }
    }

    private sealed class PhysicalFile(SafeFileHandle handle) : IStorageFile
    {
        public long Length => RandomAccess.GetLength(handle);

        public int Read(Span<byte> buffer, long offset) => RandomAccess.Read(handle, buffer, offset);

        public void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset) => RandomAccess.Write(handle, buffers, offset);

        public void SetLength(long length) => RandomAccess.SetLength(handle, length);

        public void Flush() => RandomAccess.FlushToDisk(handle);

        public void Dispose() => handle.Dispose();
    }
}
