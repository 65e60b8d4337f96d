using System.Text.Json;
using KvDirectory.Testing;

namespace KvDirectory.Deployment.Tests.OpenApi;

/// <summary>
/// The OpenAPI document the server serves must equal the checked-in <c>http-examples/openapi.json</c>. After a deliberate
/// API change, regenerate it with <c>KVDIR_UPDATE_OPENAPI=1 dotnet test tests/KvDirectory.Deployment.Tests --filter OpenApi</c>.
/// </summary>
public sealed class OpenApiDriftTests
{
    public static string CheckedIn => Path.Combine(RepositoryPaths.Root, "http-examples", "openapi.json");

    [Fact]
    public async Task The_served_document_equals_the_checked_in_one()
    {
        var served = await ServedAsync();
        if (Environment.GetEnvironmentVariable("KVDIR_UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CheckedIn)!);
            await File.WriteAllTextAsync(CheckedIn, served);
        }

        File.Exists(CheckedIn).Should().BeTrue($"{CheckedIn} is checked in (KVDIR_UPDATE_OPENAPI=1 writes it)");
        var checkedIn = (await File.ReadAllTextAsync(CheckedIn)).ReplaceLineEndings("\n");
        served.Should().Be(checkedIn, "the served OpenAPI document changed: review the change, then regenerate with KVDIR_UPDATE_OPENAPI=1 dotnet test tests/KvDirectory.Deployment.Tests --filter OpenApi");
    }

    [Fact]
    public async Task Every_documented_path_has_a_runnable_example()
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(CheckedIn));
        var examples = string.Concat(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "http-examples"), "*.http").Select(File.ReadAllText));
        var missing = document.RootElement.GetProperty("paths").EnumerateObject()
            .Select(p => p.Name)
            .Where(path => !examples.Contains("{{host}}" + PathPrefix(path), StringComparison.Ordinal))
            .ToList();
        missing.Should().BeEmpty("every path of the API has an example in http-examples/");
    }

    /// <summary>The literal part of a path template: <c>/v2/members/{id}</c> is exercised by any <c>/v2/members/…</c> request.</summary>
    private static string PathPrefix(string path) => path.Contains('{', StringComparison.Ordinal) ? path[..path.IndexOf('{', StringComparison.Ordinal)] : path;

    private static async Task<string> ServedAsync()
    {
        await using var server = await ServerProcess.StartKvDirectoryAsync();
        using var http = new HttpClient();
        return (await http.GetStringAsync(new Uri(server.ClientUrl, "/openapi/v1.json"))).ReplaceLineEndings("\n");
    }
}
