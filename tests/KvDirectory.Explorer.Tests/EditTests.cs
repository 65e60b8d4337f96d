using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace KvDirectory.Explorer.Tests;

[Collection(ExplorerCollection.Name)]
public sealed class EditTests(ExplorerFixture fx)
{
    [Fact]
    public async Task Keys_and_directories_are_created_edited_given_a_ttl_and_deleted_through_the_v2_api()
    {
        await fx.PutAsync("/edit/a", "one");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/edit"));
        var dialog = page.GetByRole(AriaRole.Dialog);

        await page.GetByRole(AriaRole.Button, new() { Name = "New key", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync("b");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Value" }).FillAsync("two");
        await Screenshots.SaveAsync(page, "create-key");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".list-row[data-key='/edit/b']")).ToBeVisibleAsync();
        (await fx.GetAsync("/edit/b"))!.Value.GetProperty("value").GetString().Should().Be("two");

        await page.GetByRole(AriaRole.Button, new() { Name = "New directory", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync("sub");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/edit/sub"));
        await Assertions.Expect(page.GetByText("This directory is empty.")).ToBeVisibleAsync();
        (await fx.GetAsync("/edit/sub"))!.Value.GetProperty("dir").GetBoolean().Should().BeTrue();

        // Edit, conditional on the index shown.
        await page.GotoAsync(fx.Url("/ui/keys/edit/a"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Value" }).FillAsync("{\"answer\": 42}");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("{\n  \"answer\": 42\n}");
        await Assertions.Expect(page.GetByTestId("validation")).ToHaveTextAsync("JSON valid");
        (await fx.GetAsync("/edit/a"))!.Value.GetProperty("value").GetString().Should().Be("{\"answer\": 42}", "the pretty view never rewrites the stored bytes");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Raw", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("{\"answer\": 42}");

        // TTL set, then cleared.
        await page.GetByRole(AriaRole.Button, new() { Name = "Set TTL", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Spinbutton).FillAsync("300");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Set TTL", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("ttl")).ToHaveTextAsync(new Regex(@"^[45]m \d\ds$"));
        (await fx.GetAsync("/edit/a"))!.Value.GetProperty("ttl").GetInt64().Should().BeInRange(290, 300);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change TTL", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Clear TTL", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("TTL permanent")).ToBeVisibleAsync();
        (await fx.GetAsync("/edit/a"))!.Value.TryGetProperty("ttl", out _).Should().BeFalse();
        (await fx.GetAsync("/edit/a"))!.Value.GetProperty("value").GetString().Should().Be("{\"answer\": 42}");

        // Delete a key.
        await page.GotoAsync(fx.Url("/ui/keys/edit/b"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete key", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/edit"));
        (await fx.GetAsync("/edit/b")).Should().BeNull();

        // Delete a directory: the confirmation names how many keys go, hidden ones included.
        await fx.PutAsync("/edit/sub/x", "1");
        await fx.PutAsync("/edit/sub/_y", "2");
        await page.GotoAsync(fx.Url("/ui/keys/edit"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete directory", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("delete-count")).ToHaveTextAsync("This deletes 3 keys in 2 directories (hidden keys included).");
        await Screenshots.SaveAsync(page, "delete-directory");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete 3 keys", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/"));
        (await fx.GetAsync("/edit")).Should().BeNull();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_edit_racing_another_client_shows_both_versions_and_overwrites_nothing_until_the_user_chooses()
    {
        await fx.PutAsync("/conflict/k", "mine-before");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/conflict/k"));
        var dialog = page.GetByRole(AriaRole.Dialog);

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Value" }).FillAsync("from the browser");
        await fx.PutAsync("/conflict/k", "from another client");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        await Assertions.Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = "Someone else changed this key" })).ToBeVisibleAsync();
        await Assertions.Expect(dialog.GetByTestId("conflict-mine")).ToHaveTextAsync("from the browser");
        await Assertions.Expect(dialog.GetByTestId("conflict-theirs")).ToHaveTextAsync("from another client");
        await Screenshots.SaveAsync(page, "conflict");
        (await fx.GetAsync("/conflict/k"))!.Value.GetProperty("value").GetString().Should().Be("from another client");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Keep theirs", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("from another client");
        (await fx.GetAsync("/conflict/k"))!.Value.GetProperty("value").GetString().Should().Be("from another client");

        // Again, and this time the user keeps their own version: written on the index they have now seen.
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Value" }).FillAsync("second try");
        await fx.PutAsync("/conflict/k", "third client");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("conflict-theirs")).ToHaveTextAsync("third client");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save mine", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("second try");
        (await fx.GetAsync("/conflict/k"))!.Value.GetProperty("value").GetString().Should().Be("second try");

        // A delete racing a change is a conflict too.
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await fx.PutAsync("/conflict/k", "changed again");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete key", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("conflict-theirs")).ToHaveTextAsync("changed again");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Keep theirs", Exact = true }).ClickAsync();
        (await fx.GetAsync("/conflict/k"))!.Value.GetProperty("value").GetString().Should().Be("changed again");
        await page.Context.CloseAsync();
    }
}
