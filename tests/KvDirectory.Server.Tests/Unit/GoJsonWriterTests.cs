using System.Buffers;
using System.Text;
using System.Text.Json;
using KvDirectory.Protocol;
using KvDirectory.Server.Http;
using KvDirectory.Wire;

namespace KvDirectory.Server.Tests.Unit;

/// <summary><see cref="GoJsonWriter"/> writes strings byte for byte as a Utf8JsonWriter with <see cref="GoJsonEncoder"/> does.</summary>
public sealed class GoJsonWriterTests
{
    public static TheoryData<string> Strings() =>
    [
        "", "plain ascii 123", "a\"b", "a\\b", "\n\r\t", "\b\f", "\u0000\u0001\u001f", "<>&", "\u2028\u2029", "+'/\u007f",
        "é中😀", "\u0085\ufeff\ufffd", "a\"b<é+'", "/bench/k1234", new string('v', 5_000) + "<",
        new string(Enumerable.Range(0, 0x80).Select(i => (char)i).ToArray()),
    ];

    [Theory]
    [MemberData(nameof(Strings))]
    public void Writes_a_string_as_the_go_encoder_does(string value)
    {
        WrittenString(value).Should().Be(ByUtf8JsonWriter(value));
    }

    [Fact]
    public void Writes_lone_surrogates_as_the_go_encoder_does()
    {
        // Built in code: xunit's case serialisation would mangle a lone surrogate.
        foreach (var value in new[] { "a" + (char)0xD800 + "b", "a" + (char)0xDC00, ((char)0xD83D).ToString(), "x" + (char)0xDE00 + "\ud83d\ude00" })
        {
            WrittenString(value).Should().Be(ByUtf8JsonWriter(value));
        }
    }

    [Fact]
    public void Writes_numbers_and_raw_pieces_in_order_across_many_segments()
    {
        // Through the server's segmented buffer from a small first array, as a GET's answer is written.
        using var buffer = new SegmentedBufferWriter(16);
        var writer = new GoJsonWriter(buffer);
        var expected = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            writer.WriteRaw(i == 0 ? "["u8 : ","u8);
            writer.WriteNumber((i * 1_000_003L) - 7);
            writer.WriteRaw(","u8);
            writer.WriteString("k" + i);
            expected.Append(i == 0 ? '[' : ',').Append((i * 1_000_003L) - 7).Append(",\"k").Append(i).Append('"');
        }

        writer.WriteRaw("]"u8);
        writer.Flush();

        Encoding.UTF8.GetString(buffer.ToArray()).Should().Be(expected.Append(']').ToString());
    }

    private static string WrittenString(string value)
    {
        using var buffer = new SegmentedBufferWriter(16);
        var writer = new GoJsonWriter(buffer);
        writer.WriteString(value);
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string ByUtf8JsonWriter(string value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, GoJsonEncoder.WriterOptions))
        {
            writer.WriteStringValue(value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
