using System.Globalization;

namespace KvDirectory.Storage;

/// <summary>
/// A segment file name: <c>{sequence:x16}-{firstIndex:x16}.wal</c>, hexadecimal as etcd's. The first
/// index is the index the segment's first new entry was expected to have, which is what lets whole
/// segments be released once a snapshot covers everything before the next one.
/// </summary>
internal readonly record struct WalSegmentName(ulong Sequence, ulong FirstIndex)
{
    public const string Extension = ".wal";
    public const string TemporaryExtension = ".wal.tmp";

    public string FileName => $"{Sequence:x16}-{FirstIndex:x16}{Extension}";

    public static bool TryParse(string fileName, out WalSegmentName name)
    {
        name = default;
        if (fileName.Length != 16 + 1 + 16 + Extension.Length || !fileName.EndsWith(Extension, StringComparison.Ordinal) || fileName[16] != '-')
            return false;
        if (!ulong.TryParse(fileName.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var sequence)
            || !ulong.TryParse(fileName.AsSpan(17, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var firstIndex))
            return false;
        name = new WalSegmentName(sequence, firstIndex);
        return true;
    }

    /// <summary>The segments of <paramref name="directory"/> in sequence order.</summary>
    public static List<(WalSegmentName Name, string Path)> List(string directory, FileSystem.IStorageFileSystem? fileSystem = null)
    {
        var result = new List<(WalSegmentName, string)>();
        foreach (var path in (fileSystem ?? FileSystem.PhysicalFileSystem.Instance).ListFiles(directory, Extension))
        {
            if (TryParse(System.IO.Path.GetFileName(path), out var name)) result.Add((name, path));
        }
        result.Sort((a, b) => a.Item1.Sequence.CompareTo(b.Item1.Sequence));
        return result;
    }
}
