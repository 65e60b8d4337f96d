using KvDirectory.Transport;

namespace KvDirectory.Transport.Tests;

public sealed class PeerDialOverrideTests
{
    [Fact]
    public void Each_name_maps_to_the_host_and_port_to_dial_instead()
    {
        var overrides = PeerDialOverride.Parse("a=127.0.0.1:40001, b=localhost:40002");

        overrides.Should().HaveCount(2);
        overrides["a"].Host.Should().Be("127.0.0.1");
        overrides["a"].Port.Should().Be(40001);
        overrides["b"].Host.Should().Be("localhost");
        overrides["b"].Port.Should().Be(40002);
    }

    [Fact]
    public void An_empty_flag_overrides_nothing()
    {
        PeerDialOverride.Parse(string.Empty).Should().BeEmpty();
    }

    [Theory]
    [InlineData("a")]
    [InlineData("=127.0.0.1:1")]
    [InlineData("a=127.0.0.1")]
    [InlineData("a=127.0.0.1:0")]
    [InlineData("a=127.0.0.1:http")]
    public void A_malformed_entry_is_refused_with_the_flag_name(string value)
    {
        var parse = () => PeerDialOverride.Parse(value);

        parse.Should().Throw<InvalidOperationException>().WithMessage("*--peer-dial-override*");
    }
}
