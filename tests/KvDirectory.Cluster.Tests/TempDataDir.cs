namespace KvDirectory.Cluster.Tests;

/// <summary>A data dir that outlives node restarts, with the peer URL its member identity was made from; deleted when the test ends.</summary>
public sealed class TempDataDir : IDisposable
{
    public TempDataDir(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string PeerUrl { get; } = $"http://127.0.0.1:{KvDirectory.Testing.FreePort.Next()}";

    public string WalDirectory => System.IO.Path.Combine(Path, "member", "wal");

    public string SnapshotDatabase => System.IO.Path.Combine(Path, "member", "snap", "snapshots.db");

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
