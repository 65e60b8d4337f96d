namespace KvDirectory.Storage.FileSystem;

/// <summary>
/// An <see cref="IStorageFile"/> as a seekable <see cref="Stream"/>, for LiteDB, which opens an earlier version's snapshot
/// database (<see cref="LegacySnapshotDatabase"/>) over a stream:
/// <see cref="Flush"/> is the file's fsync, which is what LiteDB calls when it makes a commit or a checkpoint durable.
/// </summary>
internal sealed class StorageFileStream(IStorageFile file) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => file.Length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = file.Read(buffer, _position);
        _position += read;
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        file.Write([new ReadOnlyMemory<byte>(buffer, offset, count)], _position);
        _position += count;
    }

    public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        return _position;
    }

    public override void SetLength(long value) => file.SetLength(value);

    public override void Flush() => file.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
