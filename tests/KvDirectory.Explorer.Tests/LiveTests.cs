using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace KvDirectory.Explorer.Tests;

[Collection(ExplorerCollection.Name)]
public sealed class LiveTests(ExplorerFixture fx)
{
    [Fact]
    public async Task Changes_by_another_client_appear_highlighted_without_a_reload()
    {
        await fx.PutAsync("/live/first", "1");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/live"));
        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync("live");
        // A marker on the window proves the page was not reloaded.
        await page.EvaluateAsync("window.__notReloaded = true");

        await fx.PutAsync("/live/second", "2");
        var row = page.Locator(".list-row[data-key='/live/second']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row).ToHaveClassAsync(new Regex("flash"));
        await Assertions.Expect(page.GetByTestId("child-count")).ToHaveTextAsync("2 children");
        await Assertions.Expect(page.Locator("#tree li[data-key='/live'] > .tree-row .count")).ToHaveTextAsync("2");

        // The open key follows too.
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("2");
        await fx.PutAsync("/live/second", "changed elsewhere");
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("changed elsewhere");
        (await page.EvaluateAsync<bool>("window.__notReloaded === true")).Should().BeTrue();
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// A rename deletes the directory on screen while the page loads the new one: the deletion must not send the page
    /// to the old key's parent. The next view's listing is held until the deletion reached the page, so the order is
    /// forced, not hoped for.
    /// </summary>
    [Fact]
    public async Task Removing_the_key_being_left_while_the_next_one_loads_does_not_redirect_the_page()
    {
        await fx.PutAsync("/race/old/a", "1");
        await fx.PutAsync("/race/new/b", "2");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/race/old"));
        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync("live");
        var release = new TaskCompletionSource();
        await page.RouteAsync(
            url => url.Contains("/ui/api/list?", StringComparison.Ordinal) && url.Contains("path=%2Frace%2Fnew", StringComparison.Ordinal),
            async route =>
            {
                await release.Task;
                await route.ContinueAsync();
            });

        await page.Locator("#tree li[data-key='/race/new'] > .tree-row a").ClickAsync();
        using (var removal = await fx.Http.DeleteAsync("/v2/keys/race/old?dir=true&recursive=true"))
        {
            removal.IsSuccessStatusCode.Should().BeTrue();
        }

        await Assertions.Expect(page.Locator("#tree li[data-key='/race/old']")).ToHaveCountAsync(0);
        release.SetResult();

        await Assertions.Expect(page.Locator("#view-title")).ToHaveTextAsync("new/");
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/race/new"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_ttl_counts_down_live_and_the_key_leaves_the_tree_when_it_expires()
    {
        await fx.PutAsync("/ttl/stays", "permanent");
        // Long enough that a slow page load on a busy machine still finds the key counting down.
        await fx.PutAsync("/ttl/short", "going away", ttl: 50);
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/ttl/short"));
        var ttl = page.GetByTestId("ttl");
        await Assertions.Expect(ttl).ToHaveTextAsync(new Regex(@"^[1-5]?\ds$"));
        var first = await ttl.TextContentAsync();
        await Assertions.Expect(ttl).Not.ToHaveTextAsync(first!);
        await Screenshots.SaveAsync(page, "ttl-countdown");

        // Another client shortens the TTL; the open key view sees the key expire (not asserting the new value: on a
        // busy machine the key may already be gone when the page would show it).
        await fx.PutAsync("/ttl/short", "going away soon", ttl: 2);

        // The key view goes back to the directory when the key expires, and the key is gone from list and tree.
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/ttl"), new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator(".list-row[data-key='/ttl/short']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#tree li[data-key='/ttl/short']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".list-row[data-key='/ttl/stays']")).ToBeVisibleAsync();
        (await fx.GetAsync("/ttl/short")).Should().BeNull();
        await page.Context.CloseAsync();
    }
}
