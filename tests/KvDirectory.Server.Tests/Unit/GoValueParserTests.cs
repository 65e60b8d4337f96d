using KvDirectory.Server.Http;

namespace KvDirectory.Server.Tests.Unit;

public sealed class GoValueParserTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("t", true)]
    [InlineData("T", true)]
    [InlineData("TRUE", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("0", false)]
    [InlineData("f", false)]
    [InlineData("F", false)]
    [InlineData("FALSE", false)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    public void Accepts_Go_boolean_spellings(string text, bool expected)
    {
        GoValueParser.TryParseBool(text, out var value).Should().BeTrue();
        value.Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yes")]
    [InlineData("tRUE")]
    [InlineData(" true")]
    [InlineData("2")]
    public void Rejects_everything_else_as_a_boolean(string text)
    {
        GoValueParser.TryParseBool(text, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("42", 42UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void Parses_unsigned_decimal_numbers(string text, ulong expected)
    {
        GoValueParser.TryParseUInt64(text, out var value).Should().BeTrue();
        value.Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.5")]
    [InlineData(" 1")]
    [InlineData("0x10")]
    [InlineData("18446744073709551616")]
    public void Rejects_what_Go_ParseUint_rejects(string text)
    {
        GoValueParser.TryParseUInt64(text, out _).Should().BeFalse();
    }
}
