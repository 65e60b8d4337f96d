using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace KvDirectory.Explorer.Tests;

[Collection(ExplorerCollection.Name)]
public sealed class PanelTests(ExplorerFixture fx)
{
    [Fact]
    public async Task History_shows_each_change_as_a_diff_and_restores_an_old_value_conditionally()
    {
        await fx.PutAsync("/hist/k", "line one\nline two");
        await fx.PutAsync("/hist/k", "line one\nline 2");
        await fx.PutAsync("/hist/k", "line one\nline 2\nline three");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/hist/k"));
        var items = page.GetByTestId("history-item");
        await Assertions.Expect(items).ToHaveCountAsync(3);
        await Assertions.Expect(items.First.Locator(".diff .add")).ToHaveTextAsync("+ line three");
        await Assertions.Expect(items.Nth(1).Locator(".diff .del")).ToHaveTextAsync("- line two");
        await Assertions.Expect(items.Nth(1).Locator(".diff .add")).ToHaveTextAsync("+ line 2");
        await Screenshots.SaveAsync(page, "history");

        await items.Last.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Restore the value of index") }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("line one\nline two");
        (await fx.GetAsync("/hist/k"))!.Value.GetProperty("value").GetString().Should().Be("line one\nline two");
        await Assertions.Expect(items).ToHaveCountAsync(4);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Copy_and_rename_move_a_whole_subtree_into_free_space()
    {
        await fx.PutAsync("/copy/src/a", "1");
        await fx.PutAsync("/copy/src/b/c", "2");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/copy/src"));
        var dialog = page.GetByRole(AriaRole.Dialog);
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy / rename", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Destination path" }).FillAsync("/copy/dst");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Copy", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/copy/dst"));
        (await fx.GetAsync("/copy/dst/b/c"))!.Value.GetProperty("value").GetString().Should().Be("2");
        (await fx.GetAsync("/copy/src/a")).Should().NotBeNull();

        // Copying onto existing keys is refused as a whole.
        await page.GotoAsync(fx.Url("/ui/keys/copy/src"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy / rename", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Destination path" }).FillAsync("/copy/dst");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Copy", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".toast.bad")).ToContainTextAsync("exist already");

        await page.GotoAsync(fx.Url("/ui/keys/copy/dst"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy / rename", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Destination path" }).FillAsync("/copy/moved");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Rename (move)", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/copy/moved"));
        (await fx.GetAsync("/copy/moved/a"))!.Value.GetProperty("value").GetString().Should().Be("1");
        (await fx.GetAsync("/copy/dst")).Should().BeNull();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_cluster_panel_shows_members_leader_term_health_and_store_stats()
    {
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the cluster panel" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/cluster"));
        var member = page.GetByRole(AriaRole.Region, new() { Name = "Member default" });
        await Assertions.Expect(member).ToContainTextAsync("leader");
        await Assertions.Expect(member.GetByTestId("member-health")).ToHaveTextAsync("healthy");
        await Assertions.Expect(page.GetByTestId("leader")).ToHaveTextAsync("default");
        await Assertions.Expect(page.GetByTestId("term")).ToHaveTextAsync(new Regex(@"^[1-9]\d*$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Store statistics" })).ToContainTextAsync("setsSuccess");
        await Screenshots.SaveAsync(page, "cluster");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_configuration_preview_shows_the_sections_the_configuration_provider_reads()
    {
        await fx.PutAsync("/cfg/app/Logging/LogLevel/Default", "Warning");
        await fx.PutAsync("/cfg/app/Features", "{\"Search\":true,\"Limits\":[10,20]}");
        await fx.PutAsync("/cfg/app/_internal", "never configuration");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/cfg/app"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Configuration preview", Exact = true }).ClickAsync();
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Configuration values" });
        await Assertions.Expect(table.Locator("tbody tr td:first-child")).ToHaveTextAsync(["Features", "Logging:LogLevel:Default"]);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Expand JSON values into sections" }).CheckAsync();
        await Assertions.Expect(table.Locator("tbody tr td:first-child")).ToHaveTextAsync(["Features:Limits:0", "Features:Limits:1", "Features:Search", "Logging:LogLevel:Default"]);
        await Assertions.Expect(table.Locator("tbody tr", new() { HasText = "Features:Search" })).ToContainTextAsync("true");
        await Screenshots.SaveAsync(page, "configuration-preview");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_keyboard_reaches_everything_and_every_control_has_an_accessible_name()
    {
        await fx.PutAsync("/kbd/a", "1");
        await fx.PutAsync("/kbd/b", "2");
        await fx.PutAsync("/kbd/c/d", "3");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/kbd"));
        await Assertions.Expect(page.Locator(".list-row[data-key='/kbd/a']")).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("l");
        await Assertions.Expect(page.Locator(".list-row[data-key='/kbd/a'] a")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.Locator(".list-row[data-key='/kbd/b'] a")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("End");
        await Assertions.Expect(page.Locator(".list-row[data-key='/kbd/c'] a")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/kbd/c"));
        await page.Keyboard.PressAsync("Backspace");
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/kbd"));

        // The tree: arrows move and open.
        await page.Keyboard.PressAsync("t");
        await Assertions.Expect(page.Locator("#tree li[data-key='/kbd'] > .tree-row a")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowLeft");
        await Assertions.Expect(page.Locator("#tree li[data-key='/kbd/c']")).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(page.Locator("#tree li[data-key='/kbd/c']")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(page.Locator("#tree li[data-key='/kbd/a'] > .tree-row a")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.Locator("#tree li[data-key='/kbd/b'] > .tree-row a")).ToBeFocusedAsync();

        // "/" jumps to search.
        await page.Locator("body").ClickAsync(new() { Position = new() { X = 900, Y = 700 } });
        await page.Keyboard.PressAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Searchbox, new() { Name = "Search text" })).ToBeFocusedAsync();

        var unnamed = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('button, a, input, select, textarea')]
              .filter((e) => e.offsetParent !== null)
              .filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim() || e.labels?.length))
              .map((e) => e.outerHTML)
            """);
        unnamed.Should().BeEmpty();
        await page.Context.CloseAsync();
    }
}
