using System.Net.Http.Json;
using System.Text.Json;
using KvDirectory.Testing;
using Microsoft.Playwright;

namespace KvDirectory.Explorer.Tests;

/// <summary>
/// One server process and one headless Debian Chromium (never a downloaded browser) shared by the browser tests; each
/// test opens its own page and works under its own key prefix. Disposing kills both.
/// </summary>
public sealed class ExplorerFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private ServerProcess? _server;

    public IBrowser Browser { get; private set; } = null!;

    public ServerProcess Server => _server!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Where the tests write their screenshots: a folder beside the test assembly.</summary>
    public static string ScreenshotDir { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        // The machine may be busy with other builds: waits are generous, outcomes are still exact.
        Assertions.SetDefaultExpectTimeout(15_000);
        _server = await ServerProcess.StartKvDirectoryAsync(["--ttl-sweep-interval-ms", "200"]);
        Http.BaseAddress = _server.ClientUrl;
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync(_playwright);
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        // Chromium refuses its sandbox as root (CI runs as root); the page only ever talks to our own server.
        Args = ["--no-sandbox", "--disable-dev-shm-usage"],
    });

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, ColorScheme scheme = ColorScheme.Light) =>
        await NewPageAsync(Browser, width, height, scheme);

    public static async Task<IPage> NewPageAsync(IBrowser browser, int width, int height, ColorScheme scheme)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public string Url(string path) => new Uri(Server.ClientUrl, path).ToString();

    /// <summary>A write by "another client": straight to /v2/keys, as curl would.</summary>
    public async Task<JsonElement> PutAsync(string key, string? value = null, bool dir = false, int? ttl = null)
    {
        var form = new Dictionary<string, string>();
        if (value is not null)
        {
            form["value"] = value;
        }

        if (dir)
        {
            form["dir"] = "true";
        }

        if (ttl is { } seconds)
        {
            form["ttl"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var response = await Http.PutAsync("/v2/keys" + key, new FormUrlEncodedContent(form));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.IsSuccessStatusCode.Should().BeTrue(body.ToString());
        return body;
    }

    public async Task<JsonElement?> GetAsync(string key)
    {
        using var response = await Http.GetAsync("/v2/keys" + key);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.IsSuccessStatusCode ? body.GetProperty("node") : null;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Http.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ExplorerCollection : ICollectionFixture<ExplorerFixture>
{
    public const string Name = "explorer";
}
