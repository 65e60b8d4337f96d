using Microsoft.Playwright;

namespace KvDirectory.Explorer.Tests;

/// <summary>Screenshots of the main views, written by the tests into the test output (screenshots/).</summary>
public static class Screenshots
{
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        // Countdowns and flashes settle; a screenshot is for people to look at.
        var path = Path.Combine(ExplorerFixture.ScreenshotDir, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Animations = ScreenshotAnimations.Disabled });
        return path;
    }
}
