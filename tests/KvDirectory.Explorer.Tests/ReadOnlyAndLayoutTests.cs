using KvDirectory.Testing;
using Microsoft.Playwright;

namespace KvDirectory.Explorer.Tests;

[Collection(ExplorerCollection.Name)]
public sealed class ReadOnlyAndLayoutTests(ExplorerFixture fx)
{
    [Fact]
    public async Task With_explorer_read_only_the_page_offers_no_edits()
    {
        await using var server = await ServerProcess.StartKvDirectoryAsync(["--explorer-read-only"]);
        using (var http = new HttpClient { BaseAddress = server.ClientUrl })
        {
            (await http.PutAsync("/v2/keys/ro/k", new FormUrlEncodedContent([new("value", "look, don't touch")]))).EnsureSuccessStatusCode();
        }

        var page = await fx.NewPageAsync();
        await page.GotoAsync(new Uri(server.ClientUrl, "/ui/keys/ro/k").ToString());
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("look, don't touch");
        await Assertions.Expect(page.GetByText("Read-only", new() { Exact = true })).ToBeVisibleAsync();
        foreach (var name in new[] { "Edit", "Delete", "Set TTL", "Copy / rename" })
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true })).ToBeHiddenAsync();
        }

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Import keys from a JSON dump" })).ToBeHiddenAsync();
        await page.GotoAsync(new Uri(server.ClientUrl, "/ui/keys/ro").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "New key", Exact = true })).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".list-row[data-key='/ro/k']")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_page_fits_a_narrow_screen_and_follows_the_system_dark_mode()
    {
        await fx.PutAsync("/narrow/settings/theme", "{\"mode\":\"auto\",\"accent\":\"blue\"}");
        await fx.PutAsync("/narrow/settings/limits", "max: 10\nburst:\n  - 1\n  - 2\n");
        var page = await fx.NewPageAsync(390, 844, ColorScheme.Dark);
        await page.GotoAsync(fx.Url("/ui/keys/narrow/settings"));
        await Assertions.Expect(page.Locator(".list-row[data-key='/narrow/settings/theme']")).ToBeVisibleAsync();
        // The tree is a drawer on a phone; the page never scrolls sideways.
        await Assertions.Expect(page.Locator("#tree-pane")).ToBeHiddenAsync();
        (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).Should().BeTrue();
        var background = await page.EvaluateAsync<string>("getComputedStyle(document.documentElement).backgroundColor");
        background.Should().Be("rgb(20, 23, 29)", "dark mode follows prefers-color-scheme");
        await Screenshots.SaveAsync(page, "narrow-dark-directory");

        await page.GetByRole(AriaRole.Button, new() { Name = "Show or hide the tree" }).ClickAsync();
        await Assertions.Expect(page.Locator("#tree-pane")).ToBeVisibleAsync();
        await page.Locator("#tree li[data-key='/narrow/settings/limits'] > .tree-row a").ClickAsync();
        await Assertions.Expect(page.Locator("#tree-pane")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("validation")).ToHaveTextAsync("YAML valid");
        await Screenshots.SaveAsync(page, "narrow-dark-key");

        // An invalid value is shown as stored, with what is wrong.
        await fx.PutAsync("/narrow/settings/theme", "{\"mode\": auto}");
        await page.GotoAsync(fx.Url("/ui/keys/narrow/settings/theme"));
        await Assertions.Expect(page.GetByTestId("validation")).ToContainTextAsync("JSON invalid");
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("{\"mode\": auto}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_main_view_at_1280_by_800_for_the_readme()
    {
        await fx.PutAsync("/services/api/config", "{\"replicas\":3,\"image\":\"registry.local/api:1.8\",\"env\":{\"LOG_LEVEL\":\"info\"}}");
        await fx.PutAsync("/services/api/endpoint", "http://10.0.0.12:8080");
        await fx.PutAsync("/services/api/lock", "worker-7", ttl: 600);
        await fx.PutAsync("/services/web/endpoint", "http://10.0.0.20:80");
        await fx.PutAsync("/services/_meta", "hidden");
        await fx.PutAsync("/services/api/config", "{\"replicas\":4,\"image\":\"registry.local/api:1.9\",\"env\":{\"LOG_LEVEL\":\"info\"}}");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/services/api/config"));
        await Assertions.Expect(page.GetByTestId("validation")).ToHaveTextAsync("JSON valid");
        await Assertions.Expect(page.Locator("#tree li[data-key='/services/api/lock']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("history-item")).ToHaveCountAsync(2);
        await Screenshots.SaveAsync(page, "explorer");
        await page.Context.CloseAsync();
    }
}
