namespace KvDirectory.Storage.FileSystem;

/// <summary>
/// The file operations the write-ahead log and the snapshot store make, and only those: the seam through which tests put them on a disk
/// that can lose power (unsynced bytes and unsynced names may vanish or tear). <see cref="PhysicalFileSystem"/> is
/// the real disk. What is durable follows POSIX: a file's bytes after <see cref="IStorageFile.Flush"/>, a created,
/// renamed or deleted name after <see cref="SyncDirectory"/> of its directory.
/// </summary>
public interface IStorageFileSystem
{
    void CreateDirectory(string directory);

    bool DirectoryExists(string directory);

    /// <summary>Full paths of the files in <paramref name="directory"/> whose names end with <paramref name="extension"/>.</summary>
    IReadOnlyList<string> ListFiles(string directory, string extension);

    /// <summary>Opens an existing file, or creates a new one (failing if it exists) for reading and writing.</summary>
    IStorageFile Open(string path, bool createNew);

    /// <summary>Renames a file; fails if <paramref name="to"/> exists.</summary>
    void Rename(string from, string to);

    void Delete(string path);

    /// <summary>fsync of a directory: makes the names created, renamed or deleted in it durable.</summary>
    void SyncDirectory(string directory);

    /// <summary>An exclusive lock on <paramref name="path"/> (created if missing) until disposed; fails if it is held.</summary>
    IDisposable Lock(string path);
}

/// <summary>An open file: positional reads and writes, a length, and fsync.</summary>
public interface IStorageFile : IDisposable
{
    long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>'s length at <paramref name="offset"/>; returns how many bytes were read (0 at the end).</summary>
    int Read(Span<byte> buffer, long offset);

    void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset);

    void SetLength(long length);

    /// <summary>fsync: the bytes written so far survive a power loss.</summary>
    void Flush();
}
