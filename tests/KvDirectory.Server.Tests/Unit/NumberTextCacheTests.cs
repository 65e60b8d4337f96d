using KvDirectory.Server.Http;

namespace KvDirectory.Server.Tests.Unit;

public sealed class NumberTextCacheTests
{
    [Fact]
    public void The_same_number_gets_the_same_text_instance_and_another_number_its_own_text()
    {
        var cache = new NumberTextCache();

        var first = cache.Format(1234);
        var again = cache.Format(1234);
        var other = cache.Format(-5);

        first.Should().Be("1234");
        again.Should().BeSameAs(first);
        other.Should().Be("-5");
        cache.Format(1234).Should().Be("1234");
    }

    [Fact]
    public void Concurrent_callers_never_get_another_numbers_text()
    {
        var cache = new NumberTextCache();
        Parallel.For(0, 200_000, i =>
        {
            var value = i % 7;
            cache.Format(value).Should().Be(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
    }
}
