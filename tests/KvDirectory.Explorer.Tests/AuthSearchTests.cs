using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;

namespace KvDirectory.Explorer.Tests;

/// <summary>
/// Searching with auth on as someone who may not read <c>/</c>: the search still runs, over what they may read only;
/// the names and values of other keys never reach them, nor how many there are.
/// </summary>
[Collection(AuthExplorerCollection.Name)]
public sealed class AuthSearchTests(AuthExplorerFixture fx)
{
    [Fact]
    public async Task A_user_who_can_not_read_the_root_searches_and_sees_only_keys_they_may_read()
    {
        await fx.CreateUserAsync("ivy", "ivy-pw", read: ["/ivy/*", "/ivy-shared/*"], write: []);
        await fx.PutAsync("/ivy/app/needle-db", "postgres");
        await fx.PutAsync("/ivy-shared/colour", "needle-green");
        await fx.PutAsync("/ivy-secret/needle-token", "hidden-needle-value");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/ivy"));
        await page.GetByRole(AriaRole.Textbox, new() { Name = "User" }).FillAsync("ivy");
        await page.GetByLabel("Password").FillAsync("ivy-pw");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("Signed in as ivy");

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search text" }).FillAsync("needle");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run search" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("search-status")).ToHaveTextAsync("2 matches, among the keys you may read.");
        var results = page.GetByTestId("search-result");
        await Assertions.Expect(results).ToHaveCountAsync(2);
        await Assertions.Expect(results.Filter(new() { HasText = "/ivy/app/needle-db" })).ToHaveCountAsync(1);
        await Assertions.Expect(results.Filter(new() { HasText = "needle-green" })).ToHaveCountAsync(1);
        (await page.ContentAsync()).Should().NotContain("ivy-secret").And.NotContain("hidden-needle-value");
        await Screenshots.SaveAsync(page, "search-restricted");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_search_api_keeps_only_readable_matches_hides_the_walks_size_and_refuses_wrong_credentials()
    {
        await fx.CreateUserAsync("kira", "kira-pw", read: ["/kira/*"], write: []);
        await fx.PutAsync("/kira/qzpin", "1");
        await fx.PutAsync("/kira/dir/x", "has-qzpin");
        await fx.PutAsync("/kira-other/qzpin", "3");
        await fx.PutAsync("/public/qzpin", "4");
        await fx.PutAsync("/private/qzpin", "5");

        var kira = await SearchAsync("q=qzpin", AuthExplorerFixture.Basic("kira", "kira-pw"));
        kira.Keys.Should().BeEquivalentTo("/kira/qzpin", "/kira/dir/x");
        kira.Restricted.Should().BeTrue();
        kira.Visited.Should().Be(0, "the number of keys walked would tell how many the user may not see");
        kira.Body.Should().NotContain("kira-other").And.NotContain("private");

        (await SearchAsync("prefix=/private", AuthExplorerFixture.Basic("kira", "kira-pw"))).Keys.Should().BeEmpty();
        (await SearchAsync("q=qzpin", authorization: null)).Keys.Should().BeEquivalentTo(["/public/qzpin"], "the guest reads /public only");

        var root = await SearchAsync("q=qzpin", AuthExplorerFixture.Basic("root", AuthExplorerFixture.RootPassword));
        root.Keys.Should().Contain(["/kira/qzpin", "/kira/dir/x", "/kira-other/qzpin", "/public/qzpin", "/private/qzpin"]);
        root.Restricted.Should().BeFalse();
        root.Visited.Should().BeGreaterThan(0);

        await RefusedAsync("q=qzpin", AuthExplorerFixture.Basic("kira", "not-kira"));
        // Under a path they may not read, existing or not, the answer is the same refusal (as a GET of it would be).
        await RefusedAsync("q=qzpin&path=/private", AuthExplorerFixture.Basic("kira", "kira-pw"));
        await RefusedAsync("q=qzpin&path=/no-such-dir", AuthExplorerFixture.Basic("kira", "kira-pw"));
    }

    private async Task RefusedAsync(string query, AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, fx.Url("/ui/api/search?" + query));
        request.Headers.Authorization = authorization;
        using var refused = await fx.Guest.SendAsync(request);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized, query);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("\"errorCode\":110");
    }

    private async Task<(string[] Keys, bool Restricted, int Visited, string Body)> SearchAsync(string query, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, fx.Url("/ui/api/search?" + query));
        request.Headers.Authorization = authorization;
        using var response = await fx.Guest.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var keys = lines.SelectMany(l => l.GetProperty("matches").EnumerateArray()).Select(m => m.GetProperty("key").GetString()!).ToArray();
        return (keys, lines[^1].GetProperty("restricted").GetBoolean(), lines[^1].GetProperty("visited").GetInt32(), body);
    }
}
