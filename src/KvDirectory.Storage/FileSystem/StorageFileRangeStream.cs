namespace KvDirectory.Storage.FileSystem;

/// <summary>
/// A read-only stream over <paramref name="length"/> bytes of an open file from <paramref name="start"/>: a snapshot's
/// data, behind its header. It owns the file and closes it when disposed.
/// </summary>
internal sealed class StorageFileRangeStream(IStorageFile file, long start, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0)
        {
            return 0;
        }

        var read = file.Read(buffer[..wanted], start + _position);
        if (read == 0)
        {
            throw new IOException($"snapshot file ended {length - _position} bytes early");
        }

        _position += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
