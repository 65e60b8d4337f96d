using KvDirectory.Storage.FileSystem;

namespace KvDirectory.Testing.Disk;

/// <summary>An open file of a <see cref="SimulatedDisk"/>; dead after a power loss.</summary>
internal sealed class SimulatedFile(SimulatedDisk disk, SimulatedInode inode) : IStorageFile
{
    private readonly int _generation = disk.Generation;
    private bool _closed;

    public long Length
    {
        get
        {
            lock (disk.Gate)
            {
                CheckUsable();
                return inode.Length;
            }
        }
    }

    public int Read(Span<byte> buffer, long offset)
    {
        lock (disk.Gate)
        {
            CheckUsable();
            return inode.Read(buffer, offset);
        }
    }

    public void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset)
    {
        lock (disk.Gate)
        {
            CheckUsable();
            var bytes = buffers.SelectMany(b => b.ToArray()).ToArray();
            if (disk.PowerFailsNow(out var random))
            {
                // The power fails mid-write: some of it reached the page cache first.
                inode.Write(offset, bytes.AsSpan(0, SimulatedInode.TornLength(offset, bytes.Length, random, disk.SectorSize)));
            }

            if (disk.Mutate()) inode.Write(offset, bytes);
        }
    }

    public void SetLength(long length)
    {
        lock (disk.Gate)
        {
            CheckUsable();
            if (disk.Mutate()) inode.SetLength(length);
        }
    }

    public void Flush()
    {
        lock (disk.Gate)
        {
            CheckUsable();
            if (disk.Mutate()) inode.Flush();
        }
    }

    public void Dispose() => _closed = true;

    private void CheckUsable()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (disk.Generation != _generation) throw new PowerLossException();
    }
}
