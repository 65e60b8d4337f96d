using KvDirectory.Client;
using KvDirectory.Protocol;

namespace KvDirectory.Cli.Tests;

/// <summary>The Go-compatible formatting pieces, in process: URLs, durations, JSON and tables as etcdctl writes them.</summary>
public sealed class FormattingTests
{
    [Theory]
    [InlineData("a", "/v2/keys/a")]
    [InlineData("/a/b/", "/v2/keys/a/b/")]
    [InlineData("/a//b/./c/../d", "/v2/keys/a/b/d")]
    [InlineData("/", "/v2/keys/")]
    [InlineData("/sp ace/ü", "/v2/keys/sp%20ace/%C3%BC")]
    [InlineData("/a:b@c+d", "/v2/keys/a:b@c+d")]
    public void Key_paths_are_cleaned_and_escaped_as_Go_does(string key, string expected) =>
        GoUrl.KeyPath(key).Should().Be(expected);

    [Fact]
    public void Query_and_form_values_are_sorted_by_name_and_escaped_as_Go_does() =>
        GoUrl.EncodeQuery([new("value", "a b&c"), new("ttl", "5"), new("prevValue", "ü/")])
            .Should().Be("prevValue=%C3%BC%2F&ttl=5&value=a+b%26c");

    [Theory]
    [InlineData("2s", 2000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90000)]
    [InlineData("1.5s", 1500)]
    [InlineData("0", 0)]
    public void Durations_parse_as_Go_flags_do(string text, int milliseconds)
    {
        GoDuration.TryParse(text, out var duration).Should().BeTrue();
        duration.Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("soon")]
    [InlineData("2s!")]
    [InlineData("")]
    public void Durations_without_units_are_rejected(string text) =>
        GoDuration.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public void Json_output_always_has_value_and_nodes_and_escapes_like_Go()
    {
        var response = new EtcdEvent
        {
            Action = "get",
            Node = new EtcdNode
            {
                Key = "/d",
                Dir = true,
                Nodes = [new EtcdNode { Key = "/d/x", Value = "<ä&\"\n", CreatedIndex = 3, ModifiedIndex = 4, Ttl = 9, Expiration = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 500, TimeSpan.Zero) }],
                CreatedIndex = 2,
                ModifiedIndex = 2,
            },
        };

        GoJson.Event(response).Should().Be(
            "{\"action\":\"get\",\"node\":{\"key\":\"/d\",\"dir\":true,\"value\":\"\",\"nodes\":[" +
            "{\"key\":\"/d/x\",\"value\":\"\\u003cä\\u0026\\\"\\n\",\"nodes\":null,\"createdIndex\":3,\"modifiedIndex\":4,\"expiration\":\"2026-01-02T03:04:05.5Z\",\"ttl\":9}]," +
            "\"createdIndex\":2,\"modifiedIndex\":2},\"prevNode\":null}");
    }

    [Fact]
    public void Tables_centre_headers_and_right_align_cells()
    {
        var table = TableWriter.Render(["id", "is leader"], [["abc", "true"], ["a", "false"]]);

        table.Should().Be(
            "+-----+-----------+\n" +
            "| ID  | IS LEADER |\n" +
            "+-----+-----------+\n" +
            "| abc |      true |\n" +
            "|   a |     false |\n" +
            "+-----+-----------+\n");
    }

    [Fact]
    public void Go_quoting_escapes_quotes_backslashes_and_controls() =>
        GoUrl.Quote("a\"b\\c\n\u0001").Should().Be("\"a\\\"b\\\\c\\n\\x01\"");
}
