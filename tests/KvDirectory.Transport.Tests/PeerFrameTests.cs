using System.Buffers;
using KvDirectory.Transport;

namespace KvDirectory.Transport.Tests;

public sealed class PeerFrameTests
{
    [Fact]
    public async Task Frames_written_back_to_back_read_back_in_order_with_their_kinds()
    {
        var writer = new ArrayBufferWriter<byte>();
        PeerFrame.Write(writer, PeerFrameKind.Handshake, [1, 2, 3]);
        PeerFrame.Write(writer, PeerFrameKind.Message, []);
        PeerFrame.Write(writer, PeerFrameKind.Snapshot, new byte[70_000]);
        using var stream = new MemoryStream(writer.WrittenSpan.ToArray());

        var first = await PeerFrame.ReadAsync(stream, CancellationToken.None);
        var second = await PeerFrame.ReadAsync(stream, CancellationToken.None);
        var third = await PeerFrame.ReadAsync(stream, CancellationToken.None);
        var end = await PeerFrame.ReadAsync(stream, CancellationToken.None);

        first!.Value.Kind.Should().Be(PeerFrameKind.Handshake);
        first.Value.Payload.Should().Equal(1, 2, 3);
        second!.Value.Kind.Should().Be(PeerFrameKind.Message);
        second.Value.Payload.Should().BeEmpty();
        third!.Value.Payload.Should().HaveCount(70_000);
        end.Should().BeNull("a stream that ends between frames ended cleanly");
    }

    [Fact]
    public async Task A_snapshot_larger_than_the_eager_buffer_arrives_whole_through_a_trickling_stream()
    {
        var payload = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(payload);
        var writer = new ArrayBufferWriter<byte>();
        PeerFrame.Write(writer, PeerFrameKind.Snapshot, payload);
        using var stream = new TricklingStream(writer.WrittenSpan.ToArray(), chunk: 100_003);

        var frame = await PeerFrame.ReadAsync(stream, CancellationToken.None);

        frame!.Value.Kind.Should().Be(PeerFrameKind.Snapshot);
        frame.Value.Payload.AsSpan().SequenceEqual(payload).Should().BeTrue();
    }

    [Fact]
    public async Task A_huge_declared_length_cut_short_allocates_about_a_megabyte_not_the_declared_size()
    {
        using var stream = new MemoryStream([0x1F, 0xFF, 0xFF, 0xFF, (byte)PeerFrameKind.Snapshot, 1, 2, 3]);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var read = async () => await PeerFrame.ReadAsync(stream, CancellationToken.None);

        await read.Should().ThrowAsync<EndOfStreamException>();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(4L * 1024 * 1024, "a 512 MB frame header alone must not reserve 512 MB");
    }

    /// <summary>Hands out at most <paramref name="chunk"/> bytes a read, as a socket does.</summary>
    private sealed class TricklingStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    [Fact]
    public void The_header_is_a_big_endian_u32_payload_length_then_the_kind_byte()
    {
        var writer = new ArrayBufferWriter<byte>();
        PeerFrame.Write(writer, PeerFrameKind.Message, [9, 9]);

        writer.WrittenSpan.ToArray().Should().Equal(0, 0, 0, 2, (byte)PeerFrameKind.Message, 9, 9);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 5, 2, 1 })]
    public async Task A_stream_cut_inside_a_frame_is_an_error_not_a_clean_end(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);

        var read = async () => await PeerFrame.ReadAsync(stream, CancellationToken.None);

        await read.Should().ThrowAsync<EndOfStreamException>();
    }

    [Fact]
    public async Task A_length_over_the_limit_is_refused_before_anything_is_allocated()
    {
        using var stream = new MemoryStream([0xFF, 0xFF, 0xFF, 0xFF, 2]);

        var read = async () => await PeerFrame.ReadAsync(stream, CancellationToken.None);

        await read.Should().ThrowAsync<KvDirectory.Wire.WireFormatException>();
    }

    [Fact]
    public async Task An_unknown_kind_is_refused()
    {
        using var stream = new MemoryStream([0, 0, 0, 0, 99]);

        var read = async () => await PeerFrame.ReadAsync(stream, CancellationToken.None);

        await read.Should().ThrowAsync<KvDirectory.Wire.WireFormatException>();
    }
}
