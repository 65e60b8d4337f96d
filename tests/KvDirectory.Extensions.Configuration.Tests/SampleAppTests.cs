using System.Diagnostics;
using System.Text;
using KvDirectory.Testing;

namespace KvDirectory.Extensions.Configuration.Tests;

/// <summary>The ASP.NET sample as a real process: its feature setting and log level change live with the keys.</summary>
public sealed class SampleAppTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_sample_follows_its_feature_setting_and_log_level_live()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var dll = Path.Combine(RepositoryPaths.Root, "samples", "KvDirectory.Samples.WebApp", "bin", RepositoryPaths.Configuration, "net10.0", "KvDirectory.Samples.WebApp.dll");
        var contentRoot = Directory.CreateTempSubdirectory("kvdirectory-sample-").FullName;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = contentRoot };
        foreach (var argument in new[] { dll, "--urls", url, "--contentRoot", contentRoot, "--KvDirectory:Endpoints", fixture.Server.Endpoint })
        {
            info.ArgumentList.Add(argument);
        }

        await fixture.Writer.Keys.SetAsync("/config/sample/Logging/LogLevel/Default", "Information");
        var output = new StringBuilder();
        using var app = Process.Start(info)!;
        app.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        app.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            await Await.UntilAsync(() => Get(http, "/") == "Hello", "the sample to answer with its default greeting");
            string Output()
            {
                lock (output)
                {
                    return output.ToString();
                }
            }

            Output().Should().NotContain("Serving /", "debug lines are off at Information");

            await fixture.Writer.Keys.SetAsync("/config/sample/Features", """{"Greeting":"Bonjour","ShowIndex":true}""");
            await Await.UntilAsync(() => Get(http, "/")?.StartsWith("Bonjour (configuration at etcd index ", StringComparison.Ordinal) == true, "the new greeting");

            await fixture.Writer.Keys.SetAsync("/config/sample/Logging/LogLevel/Default", "Debug");
            await Await.UntilAsync(() => Get(http, "/") is not null && Output().Contains("Serving /", StringComparison.Ordinal), "debug lines after the log level changed");
            Get(http, "/debug/configuration").Should().Contain("Features:Greeting=Bonjour <- /config/sample/Features @ modifiedIndex ");
            Get(http, "/health").Should().Be("Healthy");
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    private static string? Get(HttpClient http, string path)
    {
        try
        {
            return http.GetStringAsync(path).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
