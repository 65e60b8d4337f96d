using System.Buffers;

namespace KvDirectory.Wire.Tests;

public sealed class ChunkedBufferWriterTests
{
    [Fact]
    public void Many_chunks_and_an_oversized_value_give_the_bytes_one_growing_array_gives()
    {
        var big = new string('x', ChunkedBufferWriter.ChunkSize * 2 + 17);
        var chunked = new ChunkedBufferWriter();
        var growing = new ArrayBufferWriter<byte>();

        WriteSample(chunked, big);
        WriteSample(growing, big);

        chunked.WrittenCount.Should().Be(growing.WrittenCount).And.BeGreaterThan(3L * ChunkedBufferWriter.ChunkSize);
        chunked.ToArray().Should().Equal(growing.WrittenSpan.ToArray());
    }

    [Fact]
    public void Nothing_written_is_an_empty_array()
    {
        new ChunkedBufferWriter().ToArray().Should().BeEmpty();
    }

    [Fact]
    public void A_size_hint_larger_than_a_chunk_is_lent_whole_and_advancing_past_the_loan_is_refused()
    {
        var writer = new ChunkedBufferWriter();

        writer.GetSpan(ChunkedBufferWriter.ChunkSize + 1).Length.Should().BeGreaterThanOrEqualTo(ChunkedBufferWriter.ChunkSize + 1);
        writer.GetMemory(10).Length.Should().BeGreaterThanOrEqualTo(10);
        writer.Invoking(w => w.Advance(ChunkedBufferWriter.ChunkSize * 4)).Should().Throw<InvalidOperationException>();
        writer.Invoking(w => w.Advance(-1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_string_slice_is_written_as_the_string_it_holds()
    {
        const string path = "/dir/ключ";

        var slice = new ArrayBufferWriter<byte>();
        var w = new WireWriter(slice);
        w.String(path.AsSpan(5));
        w.Flush();
        var whole = new ArrayBufferWriter<byte>();
        w = new WireWriter(whole);
        w.String("ключ");
        w.Flush();

        slice.WrittenSpan.ToArray().Should().Equal(whole.WrittenSpan.ToArray());
    }

    private static void WriteSample(IBufferWriter<byte> output, string big)
    {
        var w = new WireWriter(output);
        for (var i = 0; i < 50_000; i++)
        {
            w.UnsignedVarint((ulong)i * 977);
            w.String("k" + i);
        }

        w.String(big);
        w.Int64LittleEndian(-1);
        w.Flush();
    }
}
