using System.Text;
using KvDirectory.Server.Http;

namespace KvDirectory.Server.Tests.Unit;

public sealed class MemberRequestReaderTests
{
    [Theory]
    [InlineData("", "unexpected end of JSON input")]
    [InlineData("{", "unexpected end of JSON input")]
    [InlineData("{}", "no valid URLs given")]
    [InlineData("{\"peerURLs\":[]}", "no valid URLs given")]
    [InlineData("{\"peerURLs\":[\"notaurl\"]}", "URL scheme must be http, https, unix, or unixs: notaurl")]
    [InlineData("{\"peerURLs\":[\"ftp://a:1\"]}", "URL scheme must be http, https, unix, or unixs: ftp://a:1")]
    [InlineData("{\"peerURLs\":[\"http://127.0.0.1\"]}", "URL address does not have the form \"host:port\": http://127.0.0.1")]
    [InlineData("{\"peerURLs\":[\"http://127.0.0.1:2380/x\"]}", "URL must not contain a path: http://127.0.0.1:2380/x")]
    public void Bad_bodies_get_etcds_messages(string body, string expected) =>
        MemberRequestReader.TryParse(Encoding.UTF8.GetBytes(body), out _).Should().Be(expected);

    [Fact]
    public void Good_peer_urls_are_trimmed_and_sorted_as_etcd_keeps_them()
    {
        MemberRequestReader.TryParse("{\"peerURLs\":[\" http://10.0.0.2:2380\",\"http://10.0.0.1:2380\",\"https://[::1]:2380\"]}"u8, out var urls)
            .Should().BeNull();
        urls.Should().Equal("http://10.0.0.1:2380", "http://10.0.0.2:2380", "https://[::1]:2380");
    }

    [Theory]
    [InlineData("deadbeef", 0xdeadbeefUL)]
    [InlineData("00000000DEADBEEF", 0xdeadbeefUL)]
    [InlineData("ffffffffffffffff", ulong.MaxValue)]
    public void Ids_are_hexadecimal_up_to_64_bits(string text, ulong expected)
    {
        MemberRequestReader.TryParseId(text, out var id).Should().BeTrue();
        id.Should().Be(expected);
    }

    [Theory]
    [InlineData("notahex")]
    [InlineData("123456789abcdef01")]
    [InlineData("-1")]
    public void Anything_else_is_not_an_id(string text) => MemberRequestReader.TryParseId(text, out _).Should().BeFalse();
}
