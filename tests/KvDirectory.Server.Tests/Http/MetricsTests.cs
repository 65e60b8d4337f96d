using System.Net;

namespace KvDirectory.Server.Tests.Http;

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_count_applied_proposals_and_http_requests_in_prometheus_text()
    {
        await using var server = await InProcessServer.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            using var put = await server.Client.PutAsync($"/v2/keys/m{i}", new FormUrlEncodedContent([new("value", "v")]));
            put.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        using var response = await server.Client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        text.Should().Contain("# TYPE etcd_server_proposals_applied_total gauge")
            .And.Contain("etcd_server_proposals_applied_total 3\n")
            .And.Contain("etcd_server_has_leader 1\n")
            .And.Contain("etcd_http_requests_total{method=\"PUT\",code=\"201\"} 3\n")
            .And.Contain("etcd_server_apply_duration_seconds_count 3\n");
    }
}
