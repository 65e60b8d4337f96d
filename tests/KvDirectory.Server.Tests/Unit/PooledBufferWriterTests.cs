using System.Text;
using System.Text.Json;
using FluentAssertions;
using KvDirectory.Protocol;
using KvDirectory.Server.Http;

namespace KvDirectory.Server.Tests.Unit;

public sealed class PooledBufferWriterTests
{
    [Fact]
    public void Growing_hands_out_the_new_array_and_keeps_what_was_written()
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

        buffer.WrittenMemory.ToArray().Should().Equal(expected);
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

        var text = Encoding.UTF8.GetString(buffer.WrittenMemory.Span);
        using var parsed = JsonDocument.Parse(text);
        parsed.RootElement.GetProperty("node").GetProperty("nodes").GetArrayLength().Should().Be(2_000);
    }
}
