namespace KvDirectory.Cluster.Tests;

/// <summary>A data dir that outlives node restarts, with the peer URL its member identity was made from; deleted when the test ends.</summary>
public sealed class TempDataDir : IDisposable
{
    public TempDataDir(string prefix, string? peerUrl = null)
    {
        PeerUrl = peerUrl ?? $"http://127.0.0.1:{KvDirectory.Testing.FreePort.Next()}";
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string PeerUrl { get; }

    public string WalDirectory => System.IO.Path.Combine(Path, "member", "wal");

    public string SnapshotDirectory => System.IO.Path.Combine(Path, "member", "snap");

    /// <summary>A copy of this data dir (same member identity) for a destructive experiment.</summary>
    public TempDataDir CopyTo(string prefix)
    {
        var copy = new TempDataDir(prefix, PeerUrl);
        foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(copy.Path, System.IO.Path.GetRelativePath(Path, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    /// <summary>The WAL segment files in sequence order (the names sort by their hexadecimal sequence).</summary>
    public IReadOnlyList<string> WalSegments() =>
        Directory.EnumerateFiles(WalDirectory, "*.wal").Order(StringComparer.Ordinal).ToList();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
