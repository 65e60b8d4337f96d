using KvDirectory.Server.Http;

namespace KvDirectory.Server.Tests.Unit;

public sealed class GoPathTests
{
    [Theory]
    [InlineData("/v2/keys/a", "/v2/keys/a")]
    [InlineData("/v2/keys/a/", "/v2/keys/a/")]
    [InlineData("/v2/keys//a", "/v2/keys/a")]
    [InlineData("/v2/keys/./a", "/v2/keys/a")]
    [InlineData("/v2/keys/b/../a", "/v2/keys/a")]
    [InlineData("/v2/keys/..", "/v2")]
    [InlineData("/../..", "/")]
    [InlineData("", "/")]
    public void Cleans_for_the_redirect_keeping_a_trailing_slash(string path, string expected)
    {
        GoPath.CleanForRedirect(path).Should().Be(expected);
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/a/b/", "/a/b")]
    [InlineData("a//b", "a/b")]
    [InlineData("../a", "../a")]
    [InlineData("", ".")]
    public void Clean_matches_Go_path_Clean(string path, string expected)
    {
        GoPath.Clean(path).Should().Be(expected);
    }
}
