using KvDirectory.Server.Configuration;

namespace KvDirectory.Server.Tests.Http;

/// <summary>
/// <c>--listing-cache-bytes</c> end to end: repeated directory GETs answer the same bytes with the cache and without it,
/// and a write shows in the very next read (the store tests check what is kept and when).
/// </summary>
public sealed class ListingCacheTests
{
    [Theory]
    [InlineData("33554432")]
    [InlineData("0")]
    public async Task Directory_reads_answer_the_same_bytes_with_and_without_the_cache_and_show_a_write_at_once(string cacheBytes)
    {
        await using var server = await InProcessServer.StartAsync("--listing-cache-bytes", cacheBytes);
        for (var i = 0; i < 20; i++)
        {
            (await server.Client.PutAsync($"/v2/keys/conf/app{i % 3}/key{i}", new FormUrlEncodedContent([new("value", $"v{i}")]))).EnsureSuccessStatusCode();
        }

        var first = await ReadAsync(server, "/v2/keys/conf?recursive=true&sorted=true");
        for (var i = 0; i < 3; i++)
        {
            (await ReadAsync(server, "/v2/keys/conf?recursive=true&sorted=true")).Should().Be(first);
        }

        first.Body.Should().Contain("\"key\":\"/conf/app2/key17\",\"value\":\"v17\"");
        (await server.Client.PutAsync("/v2/keys/conf/app2/key17", new FormUrlEncodedContent([new("value", "changed")]))).EnsureSuccessStatusCode();

        var after = await ReadAsync(server, "/v2/keys/conf?recursive=true&sorted=true");
        after.Body.Should().Contain("\"key\":\"/conf/app2/key17\",\"value\":\"changed\"");
        after.EtcdIndex.Should().Be("21");

        // Four reads of the unchanged tree: the first renders, the second renders and keeps, two are kept answers.
        var metrics = await server.Client.GetStringAsync("/metrics");
        metrics.Should().Contain($"kvdirectory_listing_cache_hits_total {(cacheBytes == "0" ? 0 : 2)}\n")
            .And.Contain("# TYPE kvdirectory_listing_cache_bytes gauge");
    }

    [Fact]
    public void A_negative_size_is_refused_naming_the_flag()
    {
        var result = new ServerOptionsValidator().Validate(null, new ServerOptions { ListingCacheBytes = -1 });

        result.Failed.Should().BeTrue();
        result.Failures.Should().Contain("--listing-cache-bytes must be 0 (no cache) or more");
    }

    private static async Task<(string Body, string EtcdIndex)> ReadAsync(InProcessServer server, string path)
    {
        using var response = await server.Client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync(), response.Headers.GetValues("X-Etcd-Index").Single());
    }
}
