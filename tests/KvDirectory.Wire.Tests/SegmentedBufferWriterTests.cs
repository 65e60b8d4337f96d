using System.Buffers;
using System.Text;
using System.Text.Json;

namespace KvDirectory.Wire.Tests;

public sealed class SegmentedBufferWriterTests
{
    [Fact]
    public void Many_segments_and_an_oversized_value_give_the_bytes_one_growing_array_gives()
    {
        var big = new string('x', SegmentedBufferWriter.SegmentSize * 2 + 17);
        using var segmented = new SegmentedBufferWriter();
        var growing = new ArrayBufferWriter<byte>();

        WriteSample(segmented, big);
        WriteSample(growing, big);

        segmented.WrittenCount.Should().Be(growing.WrittenCount).And.BeGreaterThan(3L * SegmentedBufferWriter.SegmentSize);
        segmented.ToArray().Should().Equal(growing.WrittenSpan.ToArray());
    }

    [Fact]
    public void Nothing_written_is_an_empty_array()
    {
        using var buffer = new SegmentedBufferWriter();

        buffer.ToArray().Should().BeEmpty();
    }

    [Fact]
    public void A_size_hint_larger_than_a_segment_is_lent_whole_and_advancing_past_the_loan_is_refused()
    {
        using var writer = new SegmentedBufferWriter();

        writer.GetSpan(SegmentedBufferWriter.SegmentSize + 1).Length.Should().BeGreaterThanOrEqualTo(SegmentedBufferWriter.SegmentSize + 1);
        writer.GetMemory(10).Length.Should().BeGreaterThanOrEqualTo(10);
        writer.Invoking(w => w.Advance(SegmentedBufferWriter.SegmentSize * 4)).Should().Throw<ArgumentOutOfRangeException>();
        writer.Invoking(w => w.Advance(-1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Growing_in_small_steps_keeps_what_was_written()
    {
        using var buffer = new SegmentedBufferWriter(16);
        var expected = new List<byte>();
        for (var i = 0; i < 15_000; i++)
        {
            var span = buffer.GetSpan(7);
            span.Length.Should().BeGreaterThanOrEqualTo(7);
            for (var j = 0; j < 7; j++)
            {
                span[j] = (byte)(i + j);
                expected.Add((byte)(i + j));
            }

            buffer.Advance(7);
        }

        buffer.ToArray().Should().Equal(expected);
    }

    [Fact]
    public void A_json_document_far_larger_than_the_first_array_is_written_whole()
    {
        using var buffer = new SegmentedBufferWriter(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < 2_000; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("key", $"/k{i}");
                writer.WriteString("value", new string('v', 50));
                writer.WriteNumber("modifiedIndex", i + 1);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        using var parsed = JsonDocument.Parse(Encoding.UTF8.GetString(buffer.ToArray()));
        parsed.RootElement.GetArrayLength().Should().Be(2_000);
    }

    [Fact]
    public async Task Writing_out_sends_every_segment_in_order()
    {
        using var buffer = new SegmentedBufferWriter(16);
        var expected = new byte[300_000];
        new Random(7).NextBytes(expected);
        for (var at = 0; at < expected.Length; at += 1_000)
        {
            // Hints larger than what is left of a segment: each one starts a new segment.
            var span = buffer.GetSpan(50_000);
            expected.AsSpan(at, 1_000).CopyTo(span);
            buffer.Advance(1_000);
        }

        using var written = new MemoryStream();
        await buffer.WriteToAsync(written);

        buffer.WrittenCount.Should().Be(expected.Length);
        written.ToArray().Should().Equal(expected);
        buffer.ToArray().Should().Equal(expected);
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
