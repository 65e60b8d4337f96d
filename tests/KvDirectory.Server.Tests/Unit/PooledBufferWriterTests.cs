using System.Text;
using System.Text.Json;
using FluentAssertions;
using KvDirectory.Protocol;
using KvDirectory.Server.Http;

namespace KvDirectory.Server.Tests.Unit;

public sealed class PooledBufferWriterTests
{
    [Fact]
    public void Growing_hands_out_a_new_segment_and_keeps_what_was_written()
    {
        using var buffer = new PooledBufferWriter(16);
        var expected = new List<byte>();
        for (var i = 0; i < 5_000; i++)
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
    public void A_json_answer_far_larger_than_the_first_array_is_written_whole()
    {
        var nodes = Enumerable.Range(0, 2_000)
            .Select(i => new EtcdNode { Key = $"/k{i}", Value = new string('v', 50), ModifiedIndex = i + 1, CreatedIndex = i + 1 })
            .ToList();
        var answer = new EtcdEvent { Action = "get", Node = new EtcdNode { Key = "/", Dir = true, Nodes = nodes }, EtcdIndex = 2_000 };

        using var buffer = new PooledBufferWriter(4096);
        using (var writer = new Utf8JsonWriter(buffer, GoJsonEncoder.WriterOptions))
        {
            JsonSerializer.Serialize(writer, answer, ProtocolJsonContext.Default.EtcdEvent);
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        using var parsed = JsonDocument.Parse(text);
        parsed.RootElement.GetProperty("node").GetProperty("nodes").GetArrayLength().Should().Be(2_000);
    }

    [Fact]
    public async Task Writing_out_sends_every_segment_in_order()
    {
        using var buffer = new PooledBufferWriter(16);
        var expected = new byte[300_000];
        Random.Shared.NextBytes(expected);
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
}
