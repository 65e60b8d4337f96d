using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace KvDirectory.Explorer.Tests;

[Collection(ExplorerCollection.Name)]
public sealed class AuthOffTests(ExplorerFixture fx)
{
    [Fact]
    public async Task With_auth_off_there_is_no_sign_in_and_everything_may_be_changed()
    {
        var session = await fx.Http.GetFromJsonAsync<JsonElement>("/ui/api/session");
        session.GetProperty("authEnabled").GetBoolean().Should().BeFalse();
        await fx.PutAsync("/authoff/k", "open");
        var page = await fx.NewPageAsync();
        await page.GotoAsync(fx.Url("/ui/keys/authoff/k"));
        await Assertions.Expect(page.GetByTestId("value")).ToHaveTextAsync("open");
        await Assertions.Expect(page.Locator("#login-form")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#user-box")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true })).ToBeEnabledAsync();
        await Assertions.Expect(page.GetByTestId("no-write")).ToHaveCountAsync(0);
        (await page.EvaluateAsync<string?>("sessionStorage.getItem('kvdirectory.credentials')")).Should().BeNull();
        await page.Context.CloseAsync();
    }
}
