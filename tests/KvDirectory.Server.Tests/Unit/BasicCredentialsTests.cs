using System.Text;
using KvDirectory.Server.Auth;

namespace KvDirectory.Server.Tests.Unit;

/// <summary>HTTP Basic credentials read as Go's <c>Request.BasicAuth</c> reads them (every signed-in request parses one).</summary>
public sealed class BasicCredentialsTests
{
    [Theory]
    [InlineData("alice:alicepw", "alice", "alicepw")]
    [InlineData("alice:pw:with:colons", "alice", "pw:with:colons")]
    [InlineData(":", "", "")]
    [InlineData("héllo:wörld", "héllo", "wörld")]
    public void Valid_credentials_split_at_the_first_colon(string credentials, string user, string password)
    {
        AuthGate.TryParseBasic("Basic " + Encode(credentials), out var parsedUser, out var parsedPassword).Should().BeTrue();
        (parsedUser, parsedPassword).Should().Be((user, password));
    }

    [Fact]
    public void The_scheme_is_case_insensitive_and_line_breaks_inside_the_base64_are_ignored()
    {
        var encoded = Encode("alice:alicepw");
        AuthGate.TryParseBasic("bAsIc " + encoded[..4] + "\r\n" + encoded[4..], out var user, out var password).Should().BeTrue();
        (user, password).Should().Be(("alice", "alicepw"));
    }

    [Fact]
    public void Credentials_longer_than_the_stack_buffer_are_read_too()
    {
        var password = new string('x', 400);
        AuthGate.TryParseBasic("Basic " + Encode("alice:" + password), out var user, out var parsed).Should().BeTrue();
        (user, parsed).Should().Be(("alice", password));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer YWxpY2U6YWxpY2Vwdw==")]
    [InlineData("Basic YWxpY2U6YWxpY2Vwdw")] // unpadded
    [InlineData("Basic YWxpY2U6YWxpY2Vwdw-=")] // URL-safe alphabet
    [InlineData("Basic YWxp Y2U6YWxpY2Vwdw==")] // a space inside
    [InlineData("Basic YWxpY2U=")] // no colon
    public void Anything_else_is_refused(string? header) =>
        AuthGate.TryParseBasic(header, out _, out _).Should().BeFalse();

    private static string Encode(string credentials) => Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));
}
