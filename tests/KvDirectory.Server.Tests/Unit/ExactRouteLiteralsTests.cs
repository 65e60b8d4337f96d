using KvDirectory.Server.Http;
using Microsoft.AspNetCore.Routing.Patterns;

namespace KvDirectory.Server.Tests.Unit;

public sealed class ExactRouteLiteralsTests
{
    [Theory]
    [InlineData("/v2/keys/{**key}", "/v2/keys/a/B/c", true)]
    [InlineData("/v2/keys/{**key}", "/v2/keys/A", true)]
    [InlineData("/v2/keys", "/v2/keys", true)]
    [InlineData("/v2/keys/{**key}", "/V2/keys/a", false)]
    [InlineData("/v2/keys/{**key}", "/v2/KEYS/a", false)]
    [InlineData("/v2/keys", "/v2/Keys", false)]
    [InlineData("/v2/members/{**rest}", "/v2/members/Leader", true)]
    [InlineData("/v2/stats/self", "/v2/stats/Self", false)]
    [InlineData("/version", "/VERSION", false)]
    [InlineData("/{**path}", "/Anything/At/All", true)]
    public void Literal_segments_must_match_in_case_parameters_may_hold_anything(string route, string path, bool matches)
    {
        ExactRouteLiterals.Match(RoutePatternFactory.Parse(route), path).Should().Be(matches);
    }
}
