using KvDirectory.Server.Http;

namespace KvDirectory.Server.Tests.Unit;

public sealed class GoQueryParserTests
{
    [Theory]
    [InlineData("value=a+b", "value", "a b")]
    [InlineData("value=a%2Bb", "value", "a+b")]
    [InlineData("value=%E2%82%AC", "value", "€")]
    [InlineData("value=", "value", "")]
    [InlineData("value", "value", "")]
    [InlineData("value=1&value=2", "value", "1")]
    [InlineData("a=1&&value=x", "value", "x")]
    public void Parses_pairs_as_Go_does_and_the_first_value_wins(string text, string name, string expected)
    {
        var form = new FormValues();

        GoQueryParser.ParseInto(text, form).Should().BeNull();

        form.First(name).Should().Be(expected);
    }

    [Theory]
    [InlineData("value=%zz", "invalid URL escape \"%zz\"")]
    [InlineData("value=%4", "invalid URL escape \"%4\"")]
    [InlineData("value=abc%", "invalid URL escape \"%\"")]
    [InlineData("a=1;b=2", "invalid semicolon separator in query")]
    [InlineData("v=%zz&a=1;b=2", "invalid semicolon separator in query")]
    public void Reports_the_error_etcd_puts_in_the_cause(string text, string expected)
    {
        GoQueryParser.ParseInto(text, new FormValues()).Should().Be(expected);
    }

    [Fact]
    public void Keeps_parsing_after_a_bad_pair_so_later_values_still_count()
    {
        var form = new FormValues();

        GoQueryParser.ParseInto("x=%zz&value=ok", form);

        form.First("value").Should().Be("ok");
        form.Contains("x").Should().BeFalse();
    }

    [Fact]
    public void Plus_stays_a_plus_in_paths()
    {
        GoPath.TryDecode("/v2/keys/a+b%2Fc", out var decoded).Should().BeTrue();

        decoded.Should().Be("/v2/keys/a+b/c");
    }
}
