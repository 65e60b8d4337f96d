using Microsoft.Playwright;

namespace KvDirectory.Explorer.Tests;

[Collection(ExplorerCollection.Name)]
public sealed class TreeAndNavigationTests(ExplorerFixture fx)
{
    [Fact]
    public async Task The_tree_opens_directories_lazily_with_child_counts_breadcrumbs_and_deep_links()
    {
        await fx.PutAsync("/nav/app/db/host", "db.internal");
        await fx.PutAsync("/nav/app/db/port", "5432");
        await fx.PutAsync("/nav/app/name", "shop");
        await fx.PutAsync("/nav/app/_secret", "hidden value");

        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/"));
        var tree = page.GetByRole(AriaRole.Tree, new() { Name = "Keys" });
        var nav = tree.Locator("li[data-key='/nav']");
        await Assertions.Expect(nav).ToBeVisibleAsync();
        // Not loaded until opened.
        await Assertions.Expect(tree.Locator("li[data-key='/nav/app']")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open /nav", Exact = true }).ClickAsync();
        var app = tree.Locator("li[data-key='/nav/app']");
        await Assertions.Expect(app.Locator(".count").First).ToHaveTextAsync("2");
        await app.Locator("a").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/nav/app"));
        await Assertions.Expect(page.GetByTestId("child-count")).ToHaveTextAsync("2 children");
        var list = page.GetByRole(AriaRole.List, new() { Name = "Children of /nav/app" });
        await Assertions.Expect(list.Locator(".list-row[data-key='/nav/app/db'] .value")).ToHaveTextAsync("2 children");

        // Hidden keys on demand.
        await page.GetByLabel("Show hidden keys").CheckAsync();
        await Assertions.Expect(page.GetByTestId("child-count")).ToHaveTextAsync("3 children");
        await Assertions.Expect(page.GetByRole(AriaRole.List).Locator(".list-row[data-key='/nav/app/_secret']")).ToBeVisibleAsync();
        await page.GetByLabel("Show hidden keys").UncheckAsync();
        await Assertions.Expect(page.GetByTestId("child-count")).ToHaveTextAsync("2 children");

        await Screenshots.SaveAsync(page, "directory");

        // A deep link opens a key directly, breadcrumbs lead back up.
        await page.GotoAsync(fx.Url("/ui/keys/nav/app/db/port"));
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("5432");
        await Screenshots.SaveAsync(page, "key");
        var crumbs = page.GetByRole(AriaRole.Navigation, new() { Name = "Breadcrumbs" });
        await Assertions.Expect(crumbs.GetByRole(AriaRole.Link)).ToHaveTextAsync(["root", "nav", "app", "db", "port"]);
        await Assertions.Expect(tree.Locator("li[data-key='/nav/app/db/port'] .tree-row")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("current"));
        await crumbs.GetByRole(AriaRole.Link, new() { Name = "app", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/nav/app"));
        await page.GoBackAsync();
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("5432");

        // A key that does not exist says so.
        await page.GotoAsync(fx.Url("/ui/keys/nav/none"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
