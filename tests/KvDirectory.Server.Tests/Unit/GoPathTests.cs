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
    [InlineData("/", "/")]
    [InlineData("//", "/")]
    [InlineData("/a/.", "/a")]
    [InlineData("/a/./", "/a/")]
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
    [InlineData(".", ".")]
    [InlineData("/a/..", "/")]
    [InlineData("a/b", "a/b")]
    [InlineData("/a/b", "/a/b")]
    public void Clean_matches_Go_path_Clean(string path, string expected)
    {
        GoPath.Clean(path).Should().Be(expected);
    }

    [Theory]
    [InlineData("/v2/keys/bench/k1")]
    [InlineData("/v2/keys/a/")]
    [InlineData("/")]
    public void A_clean_path_is_answered_as_is_without_a_copy(string path)
    {
        GoPath.CleanForRedirect(path).Should().BeSameAs(path);
        if (path.Length == 1 || path[^1] != '/')
        {
            GoPath.Clean(path).Should().BeSameAs(path);
        }
    }
}
