using KvDirectory.Testing;

namespace KvDirectory.Cli.Tests;

/// <summary>--endpoints failover, environment variables, --debug, --timeout, --username, exit codes of connection errors.</summary>
public sealed class GlobalFlagTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static string DeadEndpoint() => $"http://127.0.0.1:{FreePort.Next()}";

    [Fact]
    public async Task A_dead_first_endpoint_fails_over_to_the_next()
    {
        var key = Tools.UniquePrefix("failover") + "/a";

        var result = await Tools.KvctlAsync($"{DeadEndpoint()},{fixture.Endpoint}", "--no-sync", "set", key, "v");

        result.ExitCode.Should().Be(0, result.ToString());
        result.StandardOutput.Should().Be("v\n");
    }

    [Fact]
    public async Task A_first_endpoint_answering_5xx_fails_over_to_the_next()
    {
        await using var broken = await RecordingServer.StartAsync(responder: _ => (500, "{\"errorCode\":300,\"message\":\"Raft Internal Error\",\"index\":0}"));
        var key = Tools.UniquePrefix("fail5xx") + "/a";

        var result = await Tools.KvctlAsync($"{broken.Endpoint},{fixture.Endpoint}", "--no-sync", "set", key, "v");

        result.ExitCode.Should().Be(0, result.ToString());
        result.StandardOutput.Should().Be("v\n");
        broken.Authorizations.Should().HaveCount(1, "the broken endpoint was tried first, once");
    }

    [Fact]
    public async Task Every_endpoint_answering_5xx_is_a_cluster_error_listing_each()
    {
        await using var first = await RecordingServer.StartAsync(responder: _ => (503, "{}"));
        await using var second = await RecordingServer.StartAsync(responder: _ => (502, "{}"));

        var result = await Tools.KvctlAsync($"{first.Endpoint},{second.Endpoint}", "--no-sync", "get", "/a");

        result.ExitCode.Should().Be(4);
        result.StandardError.Should().Be(
            $"Error:  client: etcd cluster is unavailable or misconfigured; error #0: client: etcd member {first.Endpoint} has no leader\n" +
            $"; error #1: client: etcd member {second.Endpoint} returns server error [Bad Gateway]\n\n" +
            $"error #0: client: etcd member {first.Endpoint} has no leader\n" +
            $"error #1: client: etcd member {second.Endpoint} returns server error [Bad Gateway]\n\n");
        // etcdctl shuffles its endpoints, so only the wording and exit code are comparable, not the order.
        var theirs = await Tools.EtcdctlAsync($"{first.Endpoint},{second.Endpoint}", "--no-sync", "get", "/a");
        theirs.ExitCode.Should().Be(result.ExitCode);
        theirs.StandardError.Should().Contain($"client: etcd member {first.Endpoint} has no leader\n")
            .And.Contain($"client: etcd member {second.Endpoint} returns server error [Bad Gateway]\n");
    }

    [Fact]
    public async Task No_reachable_endpoint_is_exit_2_with_the_Go_clients_words()
    {
        var dead = DeadEndpoint();
        var address = dead["http://".Length..];

        var result = await Tools.KvctlAsync(dead, "get", "/a");

        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Be(
            $"Error:  client: etcd cluster is unavailable or misconfigured; error #0: dial tcp {address}: connect: connection refused\n\n" +
            $"error #0: dial tcp {address}: connect: connection refused\n\n");
        (await Tools.EtcdctlAsync(dead, "get", "/a")).Should().Be(result);
    }

    [Theory]
    [InlineData("KVCTL_ENDPOINTS")]
    [InlineData("ETCDCTL_ENDPOINTS")]
    public async Task Endpoints_come_from_the_environment(string variable)
    {
        var key = Tools.UniquePrefix("env") + "/a";
        var environment = new Dictionary<string, string?> { [variable] = fixture.Endpoint };

        var result = await Tools.KvctlWithAsync(null, environment, null, "set", key, "from-env");

        result.ExitCode.Should().Be(0, result.ToString());
        result.StandardOutput.Should().Be("from-env\n");
    }

    [Fact]
    public async Task The_command_line_beats_the_environment()
    {
        var environment = new Dictionary<string, string?> { ["KVCTL_ENDPOINTS"] = DeadEndpoint(), ["KVCTL_OUTPUT"] = "json" };
        var key = Tools.UniquePrefix("beats") + "/a";

        var result = await Tools.KvctlWithAsync(fixture.Endpoint, environment, null, "-o", "simple", "set", key, "v");

        result.StandardOutput.Should().Be("v\n");
    }

    [Fact]
    public async Task Debug_prints_runnable_curl_commands_and_response_statuses()
    {
        var key = Tools.UniquePrefix("debug") + "/a";

        var result = await Tools.KvctlAsync(fixture.Endpoint, "--debug", "set", "--ttl", "5", key, "v w");

        result.StandardError.Should().Be(
            $"start to sync cluster using endpoints({fixture.Endpoint})\n" +
            $"cURL Command: curl -X GET {fixture.Endpoint}/v2/members\n" +
            "Response: 200 OK\n" +
            $"got endpoints({fixture.Endpoint}) after sync\n" +
            $"Cluster-Endpoints: {fixture.Endpoint}\n" +
            $"cURL Command: curl -X PUT {fixture.Endpoint}/v2/keys{key} -d \"ttl=5&value=v+w\"\n" +
            "Response: 201 Created\n");
    }

    [Theory]
    [InlineData("root:secret", null, "root:secret")]
    [InlineData("root", "typed\n", "root:typed")]
    public async Task Username_sends_basic_auth_prompting_for_a_missing_password(string username, string? input, string expected)
    {
        await using var server = await RecordingServer.StartAsync();

        var result = await Tools.KvctlWithAsync(server.Endpoint, null, input, "--no-sync", "--username", username, "get", "/a");

        result.ExitCode.Should().Be(0, result.ToString());
        server.Authorizations.Should().Equal("Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(expected)));
    }

    [Fact]
    public async Task The_debug_curl_line_reproduces_the_request_when_pasted_into_a_shell()
    {
        var dir = Tools.UniquePrefix("curl");
        await Tools.KvctlAsync(fixture.Endpoint, "put", dir + "/a", "b");

        var result = await Tools.KvctlAsync(fixture.Endpoint, "--debug", "get", "--prefix", dir, "--keys-only");
        var curl = result.StandardError.Split('\n').Last(l => l.StartsWith("cURL Command: ", StringComparison.Ordinal))["cURL Command: ".Length..];
        var replay = await CommandRunner.RunAsync("sh", ["-c", curl + " -s"]);

        curl.Should().Contain("recursive=true&sorted=true");
        replay.StandardOutput.Should().Contain($"\"key\":\"{dir}/a\"").And.Contain("\"value\":\"b\"");
    }

    [Fact]
    public async Task A_server_that_never_answers_hits_the_per_request_timeout()
    {
        await using var silent = await RecordingServer.StartAsync(answers: false);
        var address = silent.Endpoint;

        var result = await Tools.KvctlAsync(address, "--no-sync", "--timeout", "300ms", "get", "/a");

        result.ExitCode.Should().Be(4);
        result.StandardError.Should().Be(
            $"Error:  client: etcd cluster is unavailable or misconfigured; error #0: client: endpoint {address} exceeded header timeout\n\n" +
            $"error #0: client: endpoint {address} exceeded header timeout\n\n");
    }

    [Fact]
    public async Task Total_timeout_bounds_the_whole_command()
    {
        await using var silent = await RecordingServer.StartAsync(answers: false);

        var result = await Tools.KvctlAsync(silent.Endpoint, "--no-sync", "--timeout", "0", "--total-timeout", "300ms", "get", "/a");

        result.ExitCode.Should().Be(4);
        result.StandardError.Should().Be("Error:  context deadline exceeded\n");
    }

    [Fact]
    public async Task An_unreadable_ca_file_is_reported_bare_with_exit_1()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-ca-{Guid.NewGuid():N}.pem");

        var result = await Tools.KvctlAsync(fixture.Endpoint, "--cacert", missing, "get", "/a");

        result.ExitCode.Should().Be(1, result.ToString());
        result.StandardError.Should().Contain(missing).And.NotStartWith("Error:");
    }

    [Fact]
    public async Task A_bad_duration_is_a_usage_error()
    {
        var result = await Tools.KvctlAsync(fixture.Endpoint, "--timeout", "soon", "get", "/a");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be("Error:  invalid value \"soon\" for flag -timeout: time: invalid duration soon\n");
    }

    [Fact]
    public async Task Api_errors_are_exit_4_with_etcdctls_text()
    {
        var key = Tools.UniquePrefix("missing");

        var result = await Tools.KvctlAsync(fixture.Endpoint, "get", key);

        result.ExitCode.Should().Be(4);
        result.StandardError.Should().MatchRegex($@"^Error:  100: Key not found \({key}\) \[\d+\]\n$");
        result.StandardOutput.Should().BeEmpty();
    }
}
