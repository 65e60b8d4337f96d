using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace KvDirectory.Explorer.Tests;

/// <summary>The explorer against a server with v2 auth on: sign-in, sign-out, deep links, permissions in the page.</summary>
[Collection(AuthExplorerCollection.Name)]
public sealed class LoginTests(AuthExplorerFixture fx)
{
    private static async Task SignInAsync(IPage page, string user, string password)
    {
        await page.GetByRole(AriaRole.Textbox, new() { Name = "User" }).FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    private static ILocator LoginForm(IPage page) => page.Locator("#login-form");

    [Fact]
    public async Task A_deep_link_asks_for_a_sign_in_then_opens_the_key_and_keeps_the_credentials_for_the_tab_only()
    {
        await fx.CreateUserAsync("dana", "dana-pw", read: ["/dana/*"], write: ["/dana/*"]);
        await fx.PutAsync("/dana/conf/db", "postgres://db:5432");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/dana/conf/db"));

        await Assertions.Expect(LoginForm(page)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("login-reason")).ToContainTextAsync("/dana/conf/db");
        await Assertions.Expect(page.Locator("#tree-pane")).ToBeHiddenAsync();
        await Screenshots.SaveAsync(page, "login");

        await SignInAsync(page, "dana", "dana-pw");
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("postgres://db:5432");
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/dana/conf/db"));
        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("Signed in as dana");
        await Assertions.Expect(LoginForm(page)).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#tree li[data-key='/dana/conf/db']")).ToBeVisibleAsync();

        // Kept for this tab (sessionStorage), never in localStorage, never in the URL.
        (await page.EvaluateAsync<string>("sessionStorage.getItem('kvdirectory.credentials') ?? ''")).Should().Contain("dana");
        (await page.EvaluateAsync<int>("Object.keys(localStorage).filter(k => localStorage.getItem(k).includes('dana')).length")).Should().Be(0);
        page.Url.Should().NotContain("dana-pw");

        // A reload keeps the sign-in; another tab (a new browser context) does not have it.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("postgres://db:5432");
        var other = await fx.NewPageAsync();
        await other.GotoAsync(fx.Url("/ui/keys/dana/conf/db"));
        await Assertions.Expect(LoginForm(other)).ToBeVisibleAsync();
        await other.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_shows_the_servers_message_and_stays_on_the_form()
    {
        await fx.CreateUserAsync("erin", "erin-pw", read: ["/erin/*"], write: []);
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/erin"));
        await Assertions.Expect(LoginForm(page)).ToBeVisibleAsync();

        await SignInAsync(page, "erin", "not-her-password");
        var error = page.GetByTestId("login-error");
        await Assertions.Expect(error).ToBeVisibleAsync();
        await Assertions.Expect(error).ToContainTextAsync("Wrong user name or password");
        // etcd's body: {"errorCode":110,"message":"The request requires user authentication","cause":"Insufficient credentials"}
        await Assertions.Expect(error).ToContainTextAsync("The request requires user authentication (Insufficient credentials)");
        await Screenshots.SaveAsync(page, "login-wrong-password");
        (await page.EvaluateAsync<string?>("sessionStorage.getItem('kvdirectory.credentials')")).Should().BeNull();

        await SignInAsync(page, "nobody", "x");
        await Assertions.Expect(error).ToContainTextAsync("Insufficient credentials");
        await Assertions.Expect(LoginForm(page)).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Sign_out_forgets_the_user_and_returns_to_the_sign_in()
    {
        await fx.CreateUserAsync("finn", "finn-pw", read: ["/finn/*"], write: ["/finn/*"]);
        await fx.PutAsync("/finn/k", "v");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/finn/k"));
        await SignInAsync(page, "finn", "finn-pw");
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("v");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Assertions.Expect(LoginForm(page)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("login-reason")).ToHaveTextAsync("finn signed out.");
        await Assertions.Expect(page.GetByTestId("value")).ToHaveCountAsync(0);
        (await page.EvaluateAsync<string?>("sessionStorage.getItem('kvdirectory.credentials')")).Should().BeNull();
        await page.ReloadAsync();
        await Assertions.Expect(LoginForm(page)).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_read_only_prefix_disables_edits_and_a_refused_write_is_said_and_changes_nothing()
    {
        await fx.CreateUserAsync("gail", "gail-pw", read: ["/gail-shared/*", "/gail/*"], write: ["/gail/*"]);
        await fx.PutAsync("/gail-shared/limits", "10");
        await fx.PutAsync("/gail/own", "mine");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/gail-shared/limits"));
        await SignInAsync(page, "gail", "gail-pw");
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("10");
        await Assertions.Expect(page.GetByTestId("no-write")).ToHaveTextAsync("Read-only for gail");
        foreach (var name in new[] { "Edit", "Delete", "Set TTL" })
        {
            var control = page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });
            await Assertions.Expect(control).ToBeDisabledAsync();
            await Assertions.Expect(control).ToHaveAttributeAsync("title", "gail may not change /gail-shared/limits");
        }

        await Screenshots.SaveAsync(page, "login-read-only-key");
        await page.GotoAsync(fx.Url("/ui/keys/gail-shared"));
        await Assertions.Expect(page.Locator(".list-row[data-key='/gail-shared/limits']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "New key", Exact = true })).ToBeDisabledAsync();

        // Where gail may write, she can; when the server takes that away meanwhile, the refusal is said, nothing changes.
        await page.GotoAsync(fx.Url("/ui/keys/gail/own"));
        var edit = page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true });
        await Assertions.Expect(edit).ToBeEnabledAsync();
        await fx.RevokeWriteAsync("gail-role", "/gail/*");
        await edit.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Value" }).FillAsync("changed");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        var toast = page.Locator(".toast.bad");
        await Assertions.Expect(toast).ToContainTextAsync("gail may not change /gail/own: the server refused");
        await Assertions.Expect(toast).ToContainTextAsync("Insufficient credentials");
        (await fx.ValueAsync("/gail/own")).Should().Be("mine");
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("mine");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Keys_outside_the_users_read_permission_get_a_clear_message_and_the_tree_shows_what_may_be_read()
    {
        await fx.CreateUserAsync("hana", "hana-pw", read: ["/hana/*"], write: []);
        await fx.PutAsync("/hana/a", "1");
        await fx.PutAsync("/hana-secret/b", "2");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/hana-secret/b"));
        await SignInAsync(page, "hana", "hana-pw");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No permission" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("denied")).ToContainTextAsync("hana may not read /hana-secret/b");
        await Assertions.Expect(page.GetByText("2", new() { Exact = true })).ToHaveCountAsync(0);

        // The root cannot be listed: the tree offers the readable prefixes instead of an error.
        var entry = page.Locator("#tree li[data-key='/hana'] > .tree-row a");
        await Assertions.Expect(entry).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "login-no-permission");
        await entry.ClickAsync();
        await Assertions.Expect(page.Locator(".list-row[data-key='/hana/a']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#tree li[data-key='/hana/a']")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_guest_reads_what_it_may_without_signing_in_and_is_offered_the_sign_in()
    {
        await fx.PutAsync("/public/motd", "hello, guest");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/public/motd"));
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("hello, guest");
        await Assertions.Expect(LoginForm(page)).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("Guest");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true })).ToBeDisabledAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(LoginForm(page)).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue as guest", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("hello, guest");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_write_the_server_refuses_the_guest_asks_for_a_sign_in_and_the_key_stays()
    {
        await fx.PutAsync("/public/board", "first post");
        await fx.CreateUserAsync("ivan", "ivan-pw", read: ["/public/*"], write: ["/public/*"]);
        await fx.GrantWriteAsync("guest", "/public/board");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/public/board"));
        var edit = page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true });
        await Assertions.Expect(edit).ToBeEnabledAsync();
        await fx.RevokeWriteAsync("guest", "/public/board");

        await edit.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Value" }).FillAsync("spam");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(LoginForm(page)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("login-reason")).ToContainTextAsync("The guest may not change /public/board");
        (await fx.ValueAsync("/public/board")).Should().Be("first post");

        await SignInAsync(page, "ivan", "ivan-pw");
        await Assertions.Expect(page).ToHaveURLAsync(fx.Url("/ui/keys/public/board"));
        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("Signed in as ivan");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true })).ToBeEnabledAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Live_updates_arrive_after_signing_in()
    {
        await fx.CreateUserAsync("jude", "jude-pw", read: ["/jude/*"], write: ["/jude/*"]);
        await fx.PutAsync("/jude/first", "1");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/jude"));
        await SignInAsync(page, "jude", "jude-pw");
        await Assertions.Expect(page.Locator(".list-row[data-key='/jude/first']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync("live");

        // A download is a request too: the export carries the sign-in (a plain link could not).
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Export /jude as JSON" }).ClickAsync());
        (await File.ReadAllTextAsync((await download.PathAsync())!)).Should().Contain("\"/jude/first\"");
        download.SuggestedFilename.Should().Be("jude.json");

        await page.EvaluateAsync("window.__notReloaded = true");

        await fx.PutAsync("/jude/second", "2");
        var row = page.Locator(".list-row[data-key='/jude/second']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row).ToHaveClassAsync(new Regex("flash"));
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("2");
        await fx.PutAsync("/jude/second", "changed elsewhere");
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("changed elsewhere");
        (await page.EvaluateAsync<bool>("window.__notReloaded === true")).Should().BeTrue();
        await page.Context.CloseAsync();
    }
}
