using KvDirectory.Testing;

namespace KvDirectory.Cli.Tests;

/// <summary>
/// member add/remove/update: argument checks and answers, compared with etcdctl where the output is deterministic.
/// The membership writes (add, update) run against real etcd: our server answers them 501 so far.
/// </summary>
public sealed class MemberTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("member list extra")]
    [InlineData("member add only-name")]
    [InlineData("member remove")]
    [InlineData("member remove 0123456789abcdef")]
    [InlineData("member update 0123456789abcdef")]
    public async Task Argument_and_lookup_errors_match_etcdctl(string line)
    {
        var ours = await Tools.KvctlAsync(fixture.Endpoint, line.Split(' '));
        var theirs = await Tools.EtcdctlAsync(fixture.Endpoint, line.Split(' '));

        ours.ExitCode.Should().Be(1, ours.ToString());
        ours.Should().Be(theirs);
    }

    [Fact]
    public async Task Update_with_the_same_peer_url_reports_the_member_and_keeps_it()
    {
        await using var etcd = await ServerProcess.StartEtcdAsync();
        var simple = (await Tools.KvctlAsync(etcd.Endpoint, "member", "list", "-w", "simple")).StandardOutput.Split(", ");
        var (id, peerUrl) = (simple[0], simple[3]);

        var ours = await Tools.KvctlAsync(etcd.Endpoint, "member", "update", id, peerUrl);
        var theirs = await Tools.EtcdctlAsync(etcd.Endpoint, "member", "update", id, peerUrl);
        var after = await Tools.KvctlAsync(etcd.Endpoint, "member", "list", "-w", "simple");

        ours.Should().Be(theirs);
        ours.StandardOutput.Should().Be($"Updated member with ID {id} in cluster\n");
        after.StandardOutput.Split(", ")[3].Should().Be(peerUrl);
    }

    [Fact]
    public async Task Remove_by_name_hints_at_the_id()
    {
        var id = (await Tools.KvctlAsync(fixture.Endpoint, "member", "list", "-w", "simple")).StandardOutput.Split(", ")[0];

        var result = await Tools.KvctlAsync(fixture.Endpoint, "member", "remove", "default");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be(
            $"Found a member named default; if this is correct, please use its ID, eg:\n\tkvctl member remove {id}\n\n" +
            "Couldn't find a member in the cluster with an ID of default.\n");
    }

    [Fact]
    public async Task Add_prints_the_new_id_and_the_environment_for_the_new_member()
    {
        // Adding a member to a one-member cluster costs it its quorum: this test gets a server of its own.
        await using var server = await ServerProcess.StartEtcdAsync();
        var peer = $"http://127.0.0.1:{FreePort.Next()}";

        var result = await Tools.KvctlAsync(server.Endpoint, "member", "add", "second", peer);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StandardOutput.Should().MatchRegex(
            $@"^Added member named second with ID [0-9a-f]{{1,16}} to cluster\n\nETCD_NAME=""second""\n" +
            $@"ETCD_INITIAL_CLUSTER=""(default=http://127\.0\.0\.1:\d+,second={peer.Replace(".", "\\.")}|second={peer.Replace(".", "\\.")},default=http://127\.0\.0\.1:\d+)""\n" +
            @"ETCD_INITIAL_CLUSTER_STATE=""existing""\n$");
    }
}
