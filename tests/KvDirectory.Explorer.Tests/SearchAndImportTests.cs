using System.Text.Json;
using Microsoft.Playwright;

namespace KvDirectory.Explorer.Tests;

[Collection(ExplorerCollection.Name)]
public sealed class SearchAndImportTests(ExplorerFixture fx)
{
    [Fact]
    public async Task Search_finds_keys_by_prefix_and_by_text_in_key_or_value()
    {
        await fx.PutAsync("/find/alpha", "a needle in the value");
        await fx.PutAsync("/find/beta/needlework", "x");
        await fx.PutAsync("/find/gamma", "nothing here");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/"));

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search text" }).FillAsync("NEEDLE");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run search" }).ClickAsync();
        var results = page.GetByTestId("search-result");
        await Assertions.Expect(page.GetByTestId("search-status")).ToContainTextAsync("2 matches");
        await Assertions.Expect(results.GetByRole(AriaRole.Link)).ToHaveTextAsync(["/find/alpha", "/find/beta/needlework"]);
        await Screenshots.SaveAsync(page, "search");

        await page.GetByRole(AriaRole.Combobox, new() { Name = "Search by" }).SelectOptionAsync("prefix");
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search text" }).FillAsync("/find/be");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run search" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("search-status")).ToContainTextAsync("2 matches");
        await Assertions.Expect(results.GetByRole(AriaRole.Link)).ToHaveTextAsync(["/find/beta/", "/find/beta/needlework"]);
        await results.GetByRole(AriaRole.Link, new() { Name = "/find/beta/needlework" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/find/beta/needlework"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Import_shows_a_dry_run_diff_and_writes_nothing_until_applied_and_export_downloads_the_subtree()
    {
        await fx.PutAsync("/imp/same", "kept");
        await fx.PutAsync("/imp/diff", "old");
        await fx.PutAsync("/imp/file", "a key where the dump has a directory");
        var dump = """
            {"format":"kvdirectory-dump","version":1,"prefix":"/imp","nodes":[
              {"key":"/imp/new","value":"fresh"},
              {"key":"/imp/same","value":"kept"},
              {"key":"/imp/diff","value":"new"},
              {"key":"/imp/file","dir":true},
              {"key":"/imp/file/x","value":"1"}]}
            """;
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/imp"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Import keys from a JSON dump" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Dump JSON" }).FillAsync(dump);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Dry run", Exact = true }).ClickAsync();
        var plan = dialog.GetByTestId("import-plan");
        await Assertions.Expect(plan).ToContainTextAsync("1 added, 1 changed, 1 unchanged, 2 conflicting");
        await Assertions.Expect(plan.Locator("tr", new() { HasText = "/imp/diff" })).ToContainTextAsync("old → new");
        await Screenshots.SaveAsync(page, "import-dry-run");
        (await fx.GetAsync("/imp/new")).Should().BeNull("a dry run writes nothing");

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Apply 2 changes", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("import-result")).ToHaveTextAsync("Imported 2 of 2 changes.");
        (await fx.GetAsync("/imp/new"))!.Value.GetProperty("value").GetString().Should().Be("fresh");
        (await fx.GetAsync("/imp/diff"))!.Value.GetProperty("value").GetString().Should().Be("new");
        (await fx.GetAsync("/imp/file"))!.Value.GetProperty("value").GetString().Should().Be("a key where the dump has a directory");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Export /imp as JSON" }).ClickAsync());
        var path = await download.PathAsync();
        using var exported = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        exported.RootElement.GetProperty("format").GetString().Should().Be("kvdirectory-dump");
        exported.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("key").GetString())
            .Should().Equal("/imp/diff", "/imp/file", "/imp/new", "/imp/same");
        await page.Context.CloseAsync();
    }
}
