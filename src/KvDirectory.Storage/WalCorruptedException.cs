namespace KvDirectory.Storage;

/// <summary>
/// The write-ahead log is damaged somewhere other than its torn tail (or has a gap), so opening it would
/// lose or invent acknowledged data. Never recovered silently: an operator must look at the file.
/// </summary>
public sealed class WalCorruptedException : Exception
{
    public WalCorruptedException(string file, long offset, string reason)
        : base($"write-ahead log corrupted in {file} at offset {offset}: {reason}")
    {
        File = file;
        Offset = offset;
    }

    public WalCorruptedException(string message) : base(message)
    {
        File = string.Empty;
        Offset = -1;
    }

    /// <summary>The damaged segment file, or empty when the problem is not in one file.</summary>
    public string File { get; }

    /// <summary>Byte offset of the first damaged record inside <see cref="File"/>, or -1.</summary>
    public long Offset { get; }
}
