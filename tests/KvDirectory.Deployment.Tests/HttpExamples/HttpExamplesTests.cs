using KvDirectory.Testing;

namespace KvDirectory.Deployment.Tests.HttpExamples;

/// <summary>
/// Every request of every file in <c>http-examples/</c> runs, in order, against a fresh server, and must answer the
/// status written under it: the examples cannot rot.
/// </summary>
public sealed class HttpExamplesTests
{
    public static TheoryData<string> Files() =>
        [.. Directory.GetFiles(ExamplesDir, "*.http").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    private static string ExamplesDir => Path.Combine(RepositoryPaths.Root, "http-examples");

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_request_answers_the_status_the_file_says(string file)
    {
        var (variables, requests) = HttpFileParser.Parse(file, await File.ReadAllTextAsync(Path.Combine(ExamplesDir, file)));
        requests.Should().NotBeEmpty();
        await using var server = await ServerProcess.StartKvDirectoryAsync();
        var host = new Dictionary<string, string>(variables) { ["host"] = server.Endpoint };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var runner = new HttpExampleRunner(http, host);
        var failures = new List<string>();
        foreach (var request in requests)
        {
            if (await runner.RunAsync(request, CancellationToken.None) is { } failure)
            {
                failures.Add(failure);
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void The_examples_cover_every_keys_parameter()
    {
        var text = string.Concat(Directory.GetFiles(ExamplesDir, "*.http").Select(File.ReadAllText));
        string[] parameters =
        [
            "value=", "ttl=", "dir=true", "prevExist=", "prevValue=", "prevIndex=", "recursive=true", "sorted=true",
            "wait=true", "waitIndex=", "stream=true", "quorum=true", "refresh=true", "noValueOnSuccess=true",
            "POST {{host}}/v2/keys/", "DELETE {{host}}/v2/keys/",
        ];
        parameters.Where(p => !text.Contains(p, StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Fact]
    public void A_request_without_an_expected_status_is_refused()
    {
        var act = () => HttpFileParser.Parse("x.http", "### no status\nGET http://127.0.0.1/v2/keys\n");
        act.Should().Throw<FormatException>().WithMessage("*@expect*");
    }

    [Fact]
    public void Requests_are_parsed_with_names_headers_and_bodies()
    {
        var (variables, requests) = HttpFileParser.Parse(
            "x.http",
            "@host = http://h:1\n\n### one\n# @name a\n# @expect 201\nPUT {{host}}/v2/keys/k\nContent-Type: text/plain\n\nvalue=1\n\n###\n# @headers-only\n# @expect 200\nGET {{host}}/v2/keys/k?wait=true\n");
        variables.Should().ContainKey("host").WhoseValue.Should().Be("http://h:1");
        requests.Should().HaveCount(2);
        requests[0].Should().BeEquivalentTo(new { Name = "a", ExpectedStatus = 201, Method = "PUT", Body = "value=1", HeadersOnly = false });
        requests[0].Headers.Should().ContainSingle().Which.Value.Should().Be("text/plain");
        requests[1].Should().BeEquivalentTo(new { ExpectedStatus = 200, HeadersOnly = true, Body = string.Empty });
    }
}
