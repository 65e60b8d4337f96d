namespace KvDirectory.Testing.Disk;

/// <summary>A file's contents: what was fsynced, what is there now, and the writes in between, in order.</summary>
internal sealed class SimulatedInode
{
    private byte[] _durable = [];
    private byte[] _current = [];
    private readonly List<(long Offset, byte[]? Bytes, long Length)> _unsynced = [];

    public byte[] Read() => (byte[])_current.Clone();

    public long Length => _current.Length;

    public int Read(Span<byte> buffer, long offset)
    {
        if (offset >= _current.Length) return 0;
        var count = (int)Math.Min(buffer.Length, _current.Length - offset);
        _current.AsSpan((int)offset, count).CopyTo(buffer);
        return count;
    }

    /// <summary>Whether some write or length change has not been fsynced yet.</summary>
    public bool HasUnsynced => _unsynced.Count > 0;

    public void Write(long offset, ReadOnlySpan<byte> bytes)
    {
        _current = WriteInto(_current, offset, bytes);
        _unsynced.Add((offset, bytes.ToArray(), 0));
    }

    public void SetLength(long length)
    {
        _current = Resize(_current, length);
        _unsynced.Add((0, null, length));
    }

    public void Flush()
    {
        _durable = (byte[])_current.Clone();
        _unsynced.Clear();
    }

    /// <summary>Back to the durable bytes plus a seeded share of the unsynced changes, some torn or zeroed.</summary>
    /// <param name="sectorSize">Tears fall on multiples of it, counted from the file's start (1: any byte).</param>
    /// <param name="inOrder">The unsynced changes reach the disk in the order they were made: a prefix survives, the next one maybe torn.</param>
    public void LosePower(Random random, int sectorSize, bool inOrder)
    {
        if (inOrder)
        {
            LosePowerInOrder(random, sectorSize);
            return;
        }

        var content = _durable;
        foreach (var (offset, bytes, length) in _unsynced)
        {
            if (bytes is null)
            {
                if (random.Next(2) == 0) content = Resize(content, length);
                continue;
            }

            switch (random.Next(4))
            {
                case 0:
                    break; // lost
                case 1:
                    content = WriteInto(content, offset, bytes);
                    break;
                case 2:
                    content = WriteInto(content, offset, bytes.AsSpan(0, TornLength(offset, bytes.Length, random, sectorSize)));
                    break;
                default:
                    // The size reached the disk, the data did not: what lies beyond the old end reads as zeros.
                    content = Resize(content, Math.Max(content.Length, offset + random.Next(bytes.Length + 1)));
                    break;
            }
        }

        _durable = content;
        _current = (byte[])content.Clone();
        _unsynced.Clear();
    }

    private void LosePowerInOrder(Random random, int sectorSize)
    {
        var content = _durable;
        var surviving = random.Next(_unsynced.Count + 1);
        for (var i = 0; i < surviving; i++)
        {
            var (offset, bytes, length) = _unsynced[i];
            content = bytes is null ? Resize(content, length) : WriteInto(content, offset, bytes);
        }

        if (surviving < _unsynced.Count && _unsynced[surviving] is (var tornAt, { } torn, _))
        {
            content = WriteInto(content, tornAt, torn.AsSpan(0, TornLength(tornAt, torn.Length, random, sectorSize)));
        }

        _durable = content;
        _current = (byte[])content.Clone();
        _unsynced.Clear();
    }

    /// <summary>How much of a write of <paramref name="length"/> bytes at <paramref name="offset"/> a tear keeps: whole sectors only.</summary>
    public static int TornLength(long offset, int length, Random random, int sectorSize)
    {
        var kept = random.Next(length + 1);
        var end = (offset + kept) / sectorSize * sectorSize;
        return (int)Math.Clamp(end - offset, 0, kept);
    }

    private static byte[] WriteInto(byte[] content, long offset, ReadOnlySpan<byte> bytes)
    {
        var result = content.Length >= offset + bytes.Length ? (byte[])content.Clone() : Resize(content, offset + bytes.Length);
        bytes.CopyTo(result.AsSpan((int)offset));
        return result;
    }

    private static byte[] Resize(byte[] content, long length)
    {
        var result = new byte[length];
        content.AsSpan(0, (int)Math.Min(content.Length, length)).CopyTo(result);
        return result;
    }
}
