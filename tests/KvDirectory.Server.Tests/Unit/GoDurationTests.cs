using KvDirectory.Protocol;

namespace KvDirectory.Server.Tests.Unit;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(150_000_000L, "150ms")]
    [InlineData(62_500_000_000L, "1m2.5s")]
    [InlineData(3_723_000_000_000L, "1h2m3s")]
    public void Durations_print_as_Go_prints_them(long nanoseconds, string expected)
    {
        GoDuration.Format(TimeSpan.FromTicks(nanoseconds / 100)).Should().Be(expected);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("2s", 20_000_000L)]
    [InlineData("1m30s", 900_000_000L)]
    [InlineData("500ms", 5_000_000L)]
    [InlineData("1.5h", 54_000_000_000L)]
    public void Durations_parse_as_Go_flags_parse_them(string text, long ticks)
    {
        GoDuration.TryParse(text, out var duration).Should().BeTrue();
        duration.Should().Be(TimeSpan.FromTicks(ticks));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("2 s")]
    [InlineData("1d")]
    public void Text_that_is_not_a_Go_duration_does_not_parse(string text)
    {
        GoDuration.TryParse(text, out _).Should().BeFalse();
    }
}
