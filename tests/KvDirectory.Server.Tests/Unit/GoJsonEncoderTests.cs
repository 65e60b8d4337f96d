using System.Buffers;
using System.Text;
using System.Text.Json;
using KvDirectory.Protocol;

namespace KvDirectory.Server.Tests.Unit;

/// <summary>
/// <see cref="GoJsonEncoder"/> against Go's encoding/json as etcd 3.4.23 (go1.19) writes it; every expected string here
/// was observed on the real etcd binary (a value PUT through the v2 API and read back).
/// </summary>
public sealed class GoJsonEncoderTests
{
    [Theory]
    [InlineData("a\"b", "a\\\"b")]
    [InlineData("a\\b", "a\\\\b")]
    [InlineData("\n\r\t", "\\n\\r\\t")]
    [InlineData("\b\f", "\\u0008\\u000c")]
    [InlineData("\u0000\u0001\u001f", "\\u0000\\u0001\\u001f")]
    [InlineData("\u000b\u001b", "\\u000b\\u001b")]
    [InlineData("<>&", "\\u003c\\u003e\\u0026")]
    [InlineData("\u2028\u2029", "\\u2028\\u2029")]
    [InlineData("+'/\u007f", "+'/\u007f")]
    [InlineData("é中😀", "é中😀")]
    [InlineData("\u0085\ufeff\ufffd", "\u0085\ufeff\ufffd")]
    [InlineData("plain ascii 123", "plain ascii 123")]
    [InlineData("", "")]
    [InlineData("a\"b<é+'", "a\\\"b\\u003cé+'")]
    public void Escapes_like_go(string value, string expectedInsideQuotes)
    {
        Serialize(value).Should().Be("\"" + expectedInsideQuotes + "\"");
    }

    [Fact]
    public void Escapes_every_control_character_as_go_does()
    {
        var all = new string(Enumerable.Range(1, 0x1F).Select(i => (char)i).ToArray());
        Serialize(all).Should().Be(
            "\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008\\t\\n\\u000b\\u000c\\r\\u000e\\u000f\\u0010\\u0011"
            + "\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"");
    }

    [Fact]
    public void Writes_a_lone_surrogate_as_the_escaped_replacement_character()
    {
        // Built in code: xunit's case serialisation would mangle a lone surrogate in [InlineData].
        Serialize("a" + (char)0xD800 + "b").Should().Be("\"a\\ufffdb\"");
        Serialize("a" + (char)0xDC00).Should().Be("\"a\\ufffd\"");
        Serialize(((char)0xD83D).ToString()).Should().Be("\"\\ufffd\"");
        Serialize("x" + (char)0xDE00 + "\ud83d\ude00").Should().Be("\"x\\ufffd😀\"");
    }

    [Fact]
    public void Writes_invalid_utf8_bytes_each_as_an_escaped_replacement_character()
    {
        // etcd: PUT value=a%FFb%C3c%ED%A0%80d answers "a\ufffdb\ufffdc\ufffd\ufffd\ufffdd"
        byte[] value = [(byte)'a', 0xFF, (byte)'b', 0xC3, (byte)'c', 0xED, 0xA0, 0x80, (byte)'d'];
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, GoJsonEncoder.WriterOptions))
        {
            writer.WriteStringValue(value);
        }

        Encoding.UTF8.GetString(buffer.WrittenSpan).Should().Be("\"a\\ufffdb\\ufffdc\\ufffd\\ufffd\\ufffdd\"");
    }

    [Fact]
    public void Writes_each_byte_of_a_truncated_or_overlong_sequence_as_its_own_replacement_character()
    {
        // etcd: PUT value=a%E4%B8b%F0%9F%98c%C0%AFd%F4%90%80%80e (Go's DecodeRune: an invalid byte is RuneError of size 1)
        byte[] value = [(byte)'a', 0xE4, 0xB8, (byte)'b', 0xF0, 0x9F, 0x98, (byte)'c', 0xC0, 0xAF, (byte)'d', 0xF4, 0x90, 0x80, 0x80, (byte)'e'];
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, GoJsonEncoder.WriterOptions))
        {
            writer.WriteStringValue(value);
        }

        Encoding.UTF8.GetString(buffer.WrittenSpan).Should().Be(
            "\"a\\ufffd\\ufffdb\\ufffd\\ufffd\\ufffdc\\ufffd\\ufffdd\\ufffd\\ufffd\\ufffd\\ufffde\"");
    }

    [Fact]
    public void Encode_reports_a_destination_too_small_and_a_split_surrogate_pair()
    {
        var destination = new char[4];
        GoJsonEncoder.Instance.Encode("ab<", destination, out var consumed, out var written).Should().Be(OperationStatus.DestinationTooSmall);
        (consumed, written).Should().Be((2, 2));

        var wide = new char[16];
        GoJsonEncoder.Instance.Encode("a\ud83d", wide, out consumed, out written, isFinalBlock: false).Should().Be(OperationStatus.NeedMoreData);
        (consumed, written).Should().Be((1, 1));
        GoJsonEncoder.Instance.Encode("a\ud83d\ude00<", wide, out consumed, out written).Should().Be(OperationStatus.Done);
        new string(wide, 0, written).Should().Be("a😀\\u003c");
        consumed.Should().Be(4);

        var bytes = new byte[16];
        GoJsonEncoder.Instance.EncodeUtf8("a\"中"u8, bytes, out consumed, out written).Should().Be(OperationStatus.Done);
        Encoding.UTF8.GetString(bytes, 0, written).Should().Be("a\\\"中");
        GoJsonEncoder.Instance.EncodeUtf8([(byte)'a', 0xE4, 0xB8], bytes, out consumed, out written, isFinalBlock: false).Should().Be(OperationStatus.NeedMoreData);
        (consumed, written).Should().Be((1, 1));
    }

    [Theory]
    [InlineData("é中😀+'", -1)]
    [InlineData("ab\u2028", 2)]
    [InlineData("é<", 2)]
    [InlineData("a\"", 1)]
    public void Finds_the_first_utf8_byte_to_escape(string value, int expected)
    {
        GoJsonEncoder.Instance.FindFirstCharacterToEncodeUtf8(Encoding.UTF8.GetBytes(value)).Should().Be(expected);
    }

    [Fact]
    public void Encodes_utf8_input_like_utf16_input()
    {
        const string value = "k\"\\<>&\u2028é中😀\b\u0001+'";
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, GoJsonEncoder.WriterOptions))
        {
            writer.WriteStringValue(Encoding.UTF8.GetBytes(value));
        }

        Encoding.UTF8.GetString(buffer.WrittenSpan).Should().Be(Serialize(value));
    }

    [Fact]
    public void Escapes_long_strings_wholly()
    {
        var value = string.Concat(Enumerable.Repeat("é<\"中😀\u0001", 2000));
        var expected = string.Concat(Enumerable.Repeat("é\\u003c\\\"中😀\\u0001", 2000));
        Serialize(value).Should().Be("\"" + expected + "\"");
    }

    [Fact]
    public void The_go_context_escapes_event_keys_values_and_error_causes_through_its_own_writer()
    {
        var etcdEvent = new EtcdEvent
        {
            Action = "set",
            Node = new EtcdNode { Key = "/a\"b<c", Value = "x\\y&z\u2028é", ModifiedIndex = 7, CreatedIndex = 7 },
        };
        JsonSerializer.Serialize(etcdEvent, ProtocolJsonContext.Go.EtcdEvent).Should().Be(
            "{\"action\":\"set\",\"node\":{\"key\":\"/a\\\"b\\u003cc\",\"value\":\"x\\\\y\\u0026z\\u2028é\",\"modifiedIndex\":7,\"createdIndex\":7}}");

        var error = new EtcdError { ErrorCode = 101, Message = "Compare failed", Cause = "[x\"y != é+']", Index = 7 };
        JsonSerializer.Serialize(error, ProtocolJsonContext.Go.EtcdError).Should().Be(
            "{\"errorCode\":101,\"message\":\"Compare failed\",\"cause\":\"[x\\\"y != é+']\",\"index\":7}");
    }

    [Fact]
    public void The_default_contexts_fast_path_into_a_go_writer_escapes_like_go()
    {
        // What EtcdResponses does for every answer: Default's source-generated type info, the writer's Go encoder.
        var etcdEvent = new EtcdEvent
        {
            Action = "compareAndSwap",
            Node = new EtcdNode { Key = "/k\"é", Value = "<a href='x'>+</a>\b", ModifiedIndex = 9, CreatedIndex = 8 },
            PrevNode = new EtcdNode { Key = "/k\"é", Value = "\u2029\\", ModifiedIndex = 8, CreatedIndex = 8 },
        };
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, GoJsonEncoder.WriterOptions))
        {
            JsonSerializer.Serialize(writer, etcdEvent, ProtocolJsonContext.Default.EtcdEvent);
        }

        var expected = "{\"action\":\"compareAndSwap\",\"node\":{\"key\":\"/k\\\"é\",\"value\":\"\\u003ca href='x'\\u003e+\\u003c/a\\u003e\\u0008\",\"modifiedIndex\":9,\"createdIndex\":8},"
            + "\"prevNode\":{\"key\":\"/k\\\"é\",\"value\":\"\\u2029\\\\\",\"modifiedIndex\":8,\"createdIndex\":8}}";
        Encoding.UTF8.GetString(buffer.WrittenSpan).Should().Be(expected);
        JsonSerializer.Serialize(etcdEvent, ProtocolJsonContext.Go.EtcdEvent).Should().Be(expected, "the Go context writes the same bytes");
    }

    [Fact]
    public void The_go_context_keeps_the_default_contexts_options()
    {
        var go = ProtocolJsonContext.Go.Options;
        go.Encoder.Should().BeSameAs(GoJsonEncoder.Instance);
        go.TypeInfoResolver.Should().BeSameAs(ProtocolJsonContext.Go);
        go.DefaultIgnoreCondition.Should().Be(ProtocolJsonContext.Default.Options.DefaultIgnoreCondition);
        JsonSerializer.Serialize("a\"<", ProtocolJsonContext.Go.String).Should().Be("\"a\\\"\\u003c\"");
    }

    private static string Serialize(string value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, GoJsonEncoder.WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, ProtocolJsonContext.Go.String);
        }

        var viaWriter = Encoding.UTF8.GetString(buffer.WrittenSpan);
        JsonSerializer.Serialize(value, ProtocolJsonContext.Go.String).Should().Be(viaWriter, "the context's own options escape the same way");
        return viaWriter;
    }
}
