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

    [Fact]
    public async Task A_snapshot_records_its_node_thread_capture_and_its_save_and_the_store_survives_it()
    {
        await using var server = await InProcessServer.StartAsync("--snapshot-count", "20");
        for (var i = 0; i < 60; i++)
        {
            using var put = await server.Client.PutAsync($"/v2/keys/s/{i % 7}", new FormUrlEncodedContent([new("value", $"v{i}")]));
            put.IsSuccessStatusCode.Should().BeTrue();
        }

        // The save runs in the background after the capture: wait for its histogram rather than for a fixed time.
        const string NoSaveYet = "etcd_debugging_snap_save_total_duration_seconds_count 0\n";
        var text = await server.Client.GetStringAsync("/metrics");
        for (var attempt = 0; attempt < 600 && text.Contains(NoSaveYet, StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(50);
            text = await server.Client.GetStringAsync("/metrics");
        }

        text.Should().Contain("# TYPE kvdirectory_snapshot_capture_duration_seconds histogram")
            .And.NotContain("kvdirectory_snapshot_capture_duration_seconds_count 0\n")
            .And.NotContain(NoSaveYet);
        using var get = await server.Client.GetAsync("/v2/keys/s/4");
        (await get.Content.ReadAsStringAsync()).Should().Contain("\"value\":\"v53\"");
    }
}
