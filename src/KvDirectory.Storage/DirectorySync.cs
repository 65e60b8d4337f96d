using System.Runtime.InteropServices;

namespace KvDirectory.Storage;

/// <summary>
/// fsync of a directory, so a created, renamed or deleted file name is itself durable. .NET cannot open a
/// directory as a file, hence the direct libc calls; Windows has no such step.
/// </summary>
internal static partial class DirectorySync
{
    // O_RDONLY: a directory opens read-only without O_DIRECTORY, whose value differs between architectures.
    private const int ReadOnlyDirectory = 0;

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = Open(directory, ReadOnlyDirectory);
        if (fd < 0) throw new IOException($"cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
