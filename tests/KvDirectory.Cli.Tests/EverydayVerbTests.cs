namespace KvDirectory.Cli.Tests;

/// <summary>put, get --prefix/--keys-only, del, member list -w, endpoint health/status.</summary>
public sealed class EverydayVerbTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Put_prints_OK_and_get_prints_the_value()
    {
        var key = Tools.UniquePrefix("put") + "/a";

        var put = await Tools.KvctlAsync(fixture.Endpoint, "put", key, "b");
        var get = await Tools.KvctlAsync(fixture.Endpoint, "get", key);

        put.StandardOutput.Should().Be("OK\n");
        put.ExitCode.Should().Be(0);
        get.StandardOutput.Should().Be("b\n");
    }

    [Fact]
    public async Task Put_reads_the_value_from_stdin_when_it_is_not_given()
    {
        var key = Tools.UniquePrefix("stdin") + "/a";

        await Tools.KvctlWithAsync(fixture.Endpoint, null, "from stdin", "put", key);

        (await Tools.KvctlAsync(fixture.Endpoint, "get", key)).StandardOutput.Should().Be("from stdin\n");
    }

    [Fact]
    public async Task Get_prefix_prints_key_and_value_lines_of_every_key_below_sorted()
    {
        var dir = Tools.UniquePrefix("prefix");
        await Tools.KvctlAsync(fixture.Endpoint, "put", dir + "/b", "2");
        await Tools.KvctlAsync(fixture.Endpoint, "put", dir + "/a/x", "1");
        await Tools.KvctlAsync(fixture.Endpoint, "put", dir + "/c", "3");

        var all = await Tools.KvctlAsync(fixture.Endpoint, "get", "--prefix", dir);
        var keys = await Tools.KvctlAsync(fixture.Endpoint, "get", "--prefix", dir, "--keys-only");

        all.StandardOutput.Should().Be($"{dir}/a/x\n1\n{dir}/b\n2\n{dir}/c\n3\n");
        keys.StandardOutput.Should().Be($"{dir}/a/x\n\n{dir}/b\n\n{dir}/c\n\n");
    }

    [Fact]
    public async Task Get_prefix_of_nothing_prints_nothing_and_succeeds()
    {
        var result = await Tools.KvctlAsync(fixture.Endpoint, "get", "--prefix", Tools.UniquePrefix("empty"));

        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().BeEmpty();
    }

    [Fact]
    public async Task Del_prints_the_number_of_deleted_keys()
    {
        var dir = Tools.UniquePrefix("del");
        await Tools.KvctlAsync(fixture.Endpoint, "put", dir + "/a", "1");
        await Tools.KvctlAsync(fixture.Endpoint, "put", dir + "/sub/b", "2");
        await Tools.KvctlAsync(fixture.Endpoint, "put", dir + "/single", "3");

        var single = await Tools.KvctlAsync(fixture.Endpoint, "del", dir + "/single");
        var missing = await Tools.KvctlAsync(fixture.Endpoint, "del", dir + "/single");
        var prefix = await Tools.KvctlAsync(fixture.Endpoint, "del", "--prefix", dir);
        var after = await Tools.KvctlAsync(fixture.Endpoint, "get", "--prefix", dir);

        single.StandardOutput.Should().Be("1\n");
        missing.StandardOutput.Should().Be("0\n");
        prefix.StandardOutput.Should().Be("2\n");
        after.StandardOutput.Should().BeEmpty();
    }

    [Fact]
    public async Task Member_list_table_has_etcdctl_v3_columns()
    {
        var result = await Tools.KvctlAsync(fixture.Endpoint, "member", "list", "--write-out=table");

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(5, result.ToString());
        lines[0].Should().MatchRegex(@"^\+-+\+-+\+-+\+-+\+-+\+-+\+$");
        lines[1].Should().MatchRegex(@"^\|\s+ID\s+\|\s+STATUS\s+\|\s+NAME\s+\|\s+PEER ADDRS\s+\|\s+CLIENT ADDRS\s+\|\s+IS LEARNER\s+\|$");
        lines[3].Should().MatchRegex($@"^\| *[0-9a-f]{{1,16}} *\| started \| +default \| +http://127\.0\.0\.1:\d+ \| +{fixture.Endpoint.Replace(".", "\\.")} \| +false \|$");
        lines.Select(l => l.Length).Distinct().Should().ContainSingle("every row is as wide as the border");
    }

    [Fact]
    public async Task Member_list_json_and_simple()
    {
        var json = await Tools.KvctlAsync(fixture.Endpoint, "member", "list", "-w", "json");
        var simple = await Tools.KvctlAsync(fixture.Endpoint, "member", "list", "-w", "simple");

        json.StandardOutput.Should().MatchRegex($@"^\{{""members"":\[\{{""id"":""[0-9a-f]{{1,16}}"",""name"":""default"",""peerURLs"":\[""http://127\.0\.0\.1:\d+""\],""clientURLs"":\[""{fixture.Endpoint}""\]\}}\]\}}\n$");
        simple.StandardOutput.Should().MatchRegex($@"^[0-9a-f]{{1,16}}, started, default, http://127\.0\.0\.1:\d+, {fixture.Endpoint}, false\n$");
    }

    [Fact]
    public async Task Endpoint_health_reports_on_stderr()
    {
        var result = await Tools.KvctlAsync(fixture.Endpoint, "endpoint", "health");

        result.ExitCode.Should().Be(0);
        result.StandardError.Should().MatchRegex($@"^{fixture.Endpoint} is healthy: successfully committed proposal: took = [\d.]+m?s\n$");
    }

    [Fact]
    public async Task Endpoint_health_of_a_dead_endpoint_fails()
    {
        var dead = $"http://127.0.0.1:{KvDirectory.Testing.FreePort.Next()}";

        var result = await Tools.KvctlAsync(dead, "endpoint", "health");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain($"{dead} is unhealthy: failed to commit proposal: dial tcp").And.EndWith("Error:  unhealthy cluster\n");
    }

    [Fact]
    public async Task Endpoint_status_table_shows_id_version_leadership_and_raft_position()
    {
        await Tools.KvctlAsync(fixture.Endpoint, "put", Tools.UniquePrefix("status") + "/a", "b");

        var result = await Tools.KvctlAsync(fixture.Endpoint, "endpoint", "status", "-w", "table");

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(5, result.ToString());
        lines[1].Should().MatchRegex(@"^\|\s+ENDPOINT\s+\|\s+ID\s+\|\s+VERSION\s+\|\s+IS LEADER\s+\|\s+RAFT TERM\s+\|\s+RAFT INDEX\s+\|$");
        lines[3].Should().MatchRegex($@"^\| {fixture.Endpoint.Replace(".", "\\.")} \| *[0-9a-f]{{1,16}} *\| +\d+\.\d+\.\d+ \| +true \| +[1-9]\d* \| +[1-9]\d* \|$");
    }
}
