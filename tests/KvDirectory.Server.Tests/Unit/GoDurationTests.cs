using KvDirectory.Server.Http;

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
}
