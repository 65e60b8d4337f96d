using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KvDirectory.Explorer.Tests;

[Collection(ExplorerCollection.Name)]
public sealed class HugeDirectoryTests(ExplorerFixture fx, ITestOutputHelper output)
{
    private const int Children = 100_000;

    [Fact]
    public async Task A_directory_with_100000_children_shows_its_first_rows_within_a_second_and_scrolls_to_the_end()
    {
        var load = Stopwatch.StartNew();
        await LoadChildrenAsync();
        output.WriteLine($"loaded {Children} keys through /v2/keys in {load.Elapsed.TotalSeconds:F1} s");

        var page = await fx.NewPageAsync();
        var listings = new List<int>();
        page.Response += (_, response) =>
        {
            if (response.Url.Contains("/ui/api/list", StringComparison.Ordinal) && response.Headers.TryGetValue("content-length", out var length))
            {
                listings.Add(int.Parse(length, CultureInfo.InvariantCulture));
            }
        };
        await page.GotoAsync(fx.Url("/ui/keys/"));
        var link = page.Locator("#tree li[data-key='/huge'] > .tree-row a");
        await Assertions.Expect(link).ToBeVisibleAsync();

        // Timed inside the page: from the click to the first row of the listing in the document.
        var elapsed = await page.EvaluateAsync<double>("""
            () => new Promise((resolve) => {
              const start = performance.now();
              const observer = new MutationObserver(() => {
                if (document.querySelector(".list-row[data-key='/huge/k000000']")) { observer.disconnect(); resolve(performance.now() - start); }
              });
              observer.observe(document.body, { childList: true, subtree: true });
              document.querySelector("#tree li[data-key='/huge'] > .tree-row a").click();
            })
            """);
        output.WriteLine($"first rows on screen {elapsed:F0} ms after the click; listing answers of {string.Join(", ", listings)} bytes");
        elapsed.Should().BeLessThan(1000);
        await Assertions.Expect(page.GetByTestId("child-count")).ToHaveTextAsync("100,000 children");
        listings.Should().OnlyContain(bytes => bytes < 200_000, "the browser gets a window of rows, never the 100,000");
        (await page.Locator(".list-row").CountAsync()).Should().BeLessThan(100, "only the rows on screen exist");
        await Screenshots.SaveAsync(page, "huge-directory");

        // Scrolling (here: to the end) fetches just the window that comes into view.
        await page.Locator(".list-body").EvaluateAsync("body => body.scrollTop = body.scrollHeight");
        await Assertions.Expect(page.Locator(".list-row[data-key='/huge/k099999']")).ToBeVisibleAsync();
        await page.Locator(".list-body").EvaluateAsync("body => body.scrollTop = body.scrollHeight / 2");
        await Assertions.Expect(page.Locator(".list-row[data-key='/huge/k050000']")).ToBeAttachedAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>100,000 ordinary PUTs, many in flight at once (the server batches them into few fsyncs).</summary>
    private async Task LoadChildrenAsync()
    {
        var next = -1;
        var workers = Enumerable.Range(0, 64).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Children)
            {
                var key = "/v2/keys/huge/k" + i.ToString("D6", CultureInfo.InvariantCulture);
                using var response = await fx.Http.PutAsync(key, new FormUrlEncodedContent([new("value", "value " + i)]));
                response.EnsureSuccessStatusCode();
            }
        });
        await Task.WhenAll(workers);
    }
}
