using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace KvDirectory.Explorer.Tests;

/// <summary>The explorer's HTTP API on its own: etcd-style errors for bad input, never a 500, and the page for any /ui/ path.</summary>
[Collection(ExplorerCollection.Name)]
public sealed class ExplorerApiTests(ExplorerFixture fx)
{
    [Theory]
    [InlineData("/ui/api/list?path=/api-missing", HttpStatusCode.NotFound, 100)]
    [InlineData("/ui/api/list?path=/&offset=-1", HttpStatusCode.BadRequest, 209)]
    [InlineData("/ui/api/list?path=/&limit=many", HttpStatusCode.BadRequest, 209)]
    [InlineData("/ui/api/search", HttpStatusCode.BadRequest, 209)]
    [InlineData("/ui/api/search?q=x&path=/api-missing", HttpStatusCode.NotFound, 100)]
    [InlineData("/ui/api/history?path=/&limit=x", HttpStatusCode.BadRequest, 209)]
    [InlineData("/ui/api/count?path=/api-missing", HttpStatusCode.NotFound, 100)]
    [InlineData("/ui/api/config?path=/api-missing", HttpStatusCode.NotFound, 100)]
    public async Task Bad_requests_answer_etcd_errors(string url, HttpStatusCode status, int errorCode)
    {
        using var response = await fx.Http.GetAsync(url);
        response.StatusCode.Should().Be(status);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("errorCode").GetInt32().Should().Be(errorCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"format\":\"other\",\"prefix\":\"/\",\"nodes\":[]}")]
    [InlineData("null")]
    public async Task An_import_plan_of_something_that_is_not_a_dump_is_a_form_error(string body)
    {
        using var response = await fx.Http.PostAsync("/ui/api/import/plan", new StringContent(body));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetInt32().Should().Be(210);
    }

    [Fact]
    public async Task Every_path_under_ui_answers_the_page_and_assets_have_their_types()
    {
        foreach (var path in new[] { "/ui/", "/ui/keys/any/deep/key", "/ui/search?mode=q&text=x" })
        {
            using var page = await fx.Http.GetAsync(path);
            page.StatusCode.Should().Be(HttpStatusCode.OK);
            page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
            (await page.Content.ReadAsStringAsync()).Should().Contain("/ui/assets/app.js");
        }

        using var script = await fx.Http.GetAsync("/ui/assets/app.js");
        script.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
        using var redirect = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fx.Server.ClientUrl }.GetAsync("/ui");
        redirect.StatusCode.Should().Be(HttpStatusCode.Redirect);
        using var missing = await fx.Http.GetAsync("/ui/api/nothing-here");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_search_streams_one_json_line_per_batch_and_ends_with_done()
    {
        await fx.PutAsync("/stream/one", "needle");
        using var response = await fx.Http.GetAsync("/ui/api/search?q=needle&path=/stream");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/x-ndjson");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var last = JsonDocument.Parse(lines[^1]).RootElement;
        last.GetProperty("done").GetBoolean().Should().BeTrue();
        lines.SelectMany(l => JsonDocument.Parse(l).RootElement.GetProperty("matches").EnumerateArray())
            .Select(m => m.GetProperty("key").GetString()).Should().Equal("/stream/one");
    }
}
